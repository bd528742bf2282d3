// @ts-check
/**
 * Research tab. Without a run id: the start form, this session's runs and how a cycle works.
 * With one (#/research/<id>): that run, live. Each loads with import() only when wanted, so this
 * module stays small and a visit fetches only what it shows.
 */
import { html } from '../lib/html.js';
import { lazy, useLazy } from '../lib/lazy.js';

const homeModule = lazy(() => import('./home.js'));
const runDetailModule = lazy(() => import('./run-detail.js'));

/** @param {{ text: string, failed: boolean }} props */
const Loading = ({ text, failed }) =>
  html`<p class="card muted" role=${failed ? 'alert' : undefined} aria-busy=${failed ? 'false' : 'true'}>${failed ? 'This part could not be loaded. Reload the page to try again.' : text}</p>`;

/** @param {import('../shell/view-props.js').ViewProps} props */
export function ResearchView({ config, mode, route, live, usage, refreshUsage }) {
  const home = useLazy(homeModule, route.id === null);
  const detail = useLazy(runDetailModule, route.id !== null);
  const simulated =
    config.simulated === true &&
    html`<p class="callout" data-tone="warn" data-testid="simulated-note"><strong>Simulated model.</strong> This server answers with a local stand-in, so hypotheses, reviews and verdicts are placeholders that show how a run works, not research.</p>`;

  if (route.id !== null) {
    return html`<div class="view">
      <p class="back-link"><a href="#/research">← New run and your runs</a></p>
      ${simulated}
      ${
        detail.mod
          ? html`<${detail.mod.RunDetail} key=${route.id} id=${route.id} live=${live} usage=${usage} refreshUsage=${refreshUsage} />`
          : html`<${Loading} text="Loading the run…" failed=${detail.failed} />`
      }
    </div>`;
  }

  return html`<div class="view">
    <h2>Research</h2>
    <p class="lead">Give Labcoat a research goal, and an AI co-scientist works on it in cycles. Every step streams to this page as it happens.</p>
    ${simulated}
    ${
      home.mod
        ? html`<${home.mod.ResearchHome} config=${config} mode=${mode} onStarted=${refreshUsage} />`
        : html`<${Loading} text="Loading the form…" failed=${home.failed} />`
    }
  </div>`;
}
