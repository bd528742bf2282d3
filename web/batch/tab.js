// @ts-check
/**
 * Batch tests tab: bring your own model and measure it. Without a run id: connect an endpoint,
 * plan a run and see this session's runs. With one (#/batch/<id>): that run, live. Each part
 * loads with import() only when it is wanted, so this module stays small.
 */
import { html } from '../lib/html.js';
import { batchRunIdFromHash } from './format.js';
import { lazy } from '../lib/lazy.js';
import { LazyPart } from '../lib/lazy-part.js';

const runDetailModule = lazy(() => import('./run-detail.js'));
const homeModule = lazy(() => import('./home.js'));

/** @param {import('../shell/view-props.js').ViewProps} props */
export function BatchView({ config, mode, live, refreshUsage }) {
  // The app renders again on every hash change, so the address is read here directly.
  const runId = batchRunIdFromHash(window.location.hash);
  if (runId !== null) {
    return html`<div class="view batch">
      <p class="back-link"><a href="#/batch">← Endpoints, new run and your runs</a></p>
      <${LazyPart}
        key="run"
        load=${runDetailModule}
        show=${(/** @type {typeof import('./run-detail.js')} */ m) => html`<${m.BatchRunDetail} key=${runId} id=${runId} live=${live} mode=${mode} onCalled=${refreshUsage} />`}
        text="Loading the run…"
      />
    </div>`;
  }
  return html`<div class="view batch">
    <h2>Batch tests</h2>
    <p class="lead">Bring your own model and see how it does on real prompts: speed, quality checks and cost, measured the same way every time.</p>
    <${LazyPart}
      key="home"
      load=${homeModule}
      show=${(/** @type {typeof import('./home.js')} */ m) => html`<${m.BatchHome} config=${config} />`}
      text="Loading the batch tools…"
    />
  </div>`;
}
