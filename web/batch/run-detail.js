// @ts-check
/**
 * One batch run, live: its endpoints and what can be done with it, progress, the metric cards
 * and the metrics per suite; then, each fetched with import() once there is something to show,
 * the latency histogram, the failures by code, every answer (or both endpoints side by side) and
 * a chat about the results. Loaded with import() when a run's link opens.
 */
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { dollars } from '../models/catalog-format.js';
import { count, localTime } from '../lib/format.js';
import { BATCH_STATES, TAGS } from './format.js';
import { useBatchRun } from './use-batch-run.js';
import { BatchDeleteEndpoint } from './delete-endpoint.js';
import { lazy } from '../lib/lazy.js';
import { LazyPart } from '../lib/lazy-part.js';
import { BatchMetricCards } from './metric-cards.js';
import { BatchProgress } from './progress.js';
import { BatchRunActions } from './run-actions.js';
import { BatchSuiteTable } from './suite-table.js';

const latencyHistogramModule = lazy(() => import('./latency-histogram.js'));
const failuresModule = lazy(() => import('./failures.js'));
const compareModule = lazy(() => import('./compare.js'));
const resultsTableModule = lazy(() => import('./results-table.js'));
const chatModule = lazy(() => import('./chat.js'));

/** @typedef {import('../../shared/batch-types.js').BatchRun} BatchRun */

/** @param {{ id: string, gone: import('../../shared/batch-types.js').BatchError | null, error: import('../lib/api.js').ApiError | null, onRetry: () => void }} props */
function Unavailable({ id, gone, error, onRetry }) {
  if (gone) {
    return html`<section class="run" data-testid="batch-run-gone">
      <h2>Batch run</h2>
      <p class="callout" data-tone="warn" role="alert">${gone.message}</p>
      <p><a class="button" href="#/batch">Back to your endpoints</a></p>
    </section>`;
  }
  return html`<section class="run" aria-busy=${error ? 'false' : 'true'} data-testid="batch-run-missing">
    <h2>Batch run</h2>
    <p class=${error ? 'callout' : 'muted'} data-tone=${error ? 'warn' : undefined} role=${error ? 'alert' : undefined}>
      ${error ? html`This run (<code>${id}</code>) is not available: ${error.message}` : html`Opening the run <code>${id}</code>…`}
    </p>
    ${error?.status === 404 && html`<p class="muted">A run goes with the endpoint it used: deleting the endpoint, or its expiry, removes it.</p>`}
    ${error && error.status !== 404 && html`<button type="button" class="button" onClick=${onRetry}>Try again</button>`}
  </section>`;
}

/** @param {{ run: BatchRun }} props its endpoints, the buttons that delete them, and what it ran */
function RunHead({ run }) {
  const paid = run.judge_cost_usd ? `, ${dollars(run.judge_cost_usd)}` : '';
  const judge = run.judge ? `rubrics judged by ${TAGS[run.judge.endpoint]} (${run.judge.model}${paid})` : 'rubrics not judged';
  return html`<ul class="batch-run-endpoints">
      ${run.endpoints.map(
        (e) => html`<li key=${e.index}>
          <span class="batch-tag" data-series=${e.index}>${TAGS[e.index]}</span>
          <span class="batch-endpoint-name"><strong>${e.label ?? e.model}</strong>${e.label && html` <code>${e.model}</code>`} <span class="field-note">${e.base_url}</span></span>
          ${
            run.endpoints.findIndex((x) => x.session_id === e.session_id) === e.index &&
            html`<${BatchDeleteEndpoint} id=${e.session_id} name=${e.label ?? e.base_url} onDeleted=${() => (window.location.hash = '#/batch')} />`
          }
        </li>`,
      )}
    </ul>
    <p class="run-meta">
      <span>${run.suites.map((s) => s.name).join(', ')}</span>
      <span>${count(run.prompts.length, 'prompt')}</span>
      <span>${run.concurrency} at once</span>
      <span>${judge}</span>
      <span>started ${localTime(run.created_at)}</span>
    </p>`;
}

/**
 * @param {{
 *   id: string,
 *   live: import('../lib/live.js').LiveConnection,
 *   mode: import('../lib/mode.js').EffectiveMode,
 *   onCalled: () => void,
 * }} props onCalled: after a chat on this Space's key
 */
export function BatchRunDetail({ id, live, mode, onCalled }) {
  const { run, metrics, measured, error, gone, progress, spot, reload } = useBatchRun(live, id);
  const [sideBySide, setSideBySide] = useState(true);
  if (gone || !run) return html`<${Unavailable} id=${id} gone=${gone} error=${error} onRetry=${reload} />`;

  const two = run.endpoints.length > 1;
  const answered = run.results.some((r) => r.ok);
  return html`<div class="run batch-run" data-testid="batch-run" data-state=${run.state} data-endpoints=${run.endpoints.length}>
    <header class="card run-head">
      <div class="run-title">
        <h2>Batch run</h2>
        <span class="state-pill" data-state=${run.state} data-testid="batch-state">${BATCH_STATES[run.state] ?? run.state}</span>
      </div>
      <${RunHead} run=${run} />
      <${BatchRunActions} run=${run} onChanged=${reload} />
    </header>
    ${error && html`<p class="callout" data-tone="warn" role="alert">The latest state could not be loaded: ${error.message}</p>`}
    ${run.error && html`<p class="callout" data-tone="warn" role="alert" data-testid="batch-run-error">${run.error.message}</p>`}
    <${BatchProgress} run=${run} progress=${progress} spot=${spot} />

    <section aria-labelledby="batch-metrics-title" data-testid="batch-metrics" data-measured=${measured ? 'true' : 'false'}>
      <h3 id="batch-metrics-title">Metrics ${!measured && html`<span class="heading-note">(so far)</span>`}</h3>
      <${BatchMetricCards} metrics=${metrics.map((m) => m.overall)} />
    </section>

    <div class="grid-2">
      <section class="card" aria-labelledby="batch-histogram-title">
        <h3 id="batch-histogram-title">Latency</h3>
        ${
          answered
            ? html`<${LazyPart} key="histogram" load=${latencyHistogramModule} show=${(/** @type {typeof import('./latency-histogram.js')} */ m) => html`<${m.BatchLatencyHistogram} run=${run} />`} text="Drawing the histogram…" />`
            : html`<p class="muted">Drawn once the first answer is in.</p>`
        }
      </section>
      ${
        run.failed > 0
          ? html`<${LazyPart} key="failures" load=${failuresModule} show=${(/** @type {typeof import('./failures.js')} */ m) => html`<${m.BatchFailures} results=${run.results} two=${two} />`} />`
          : html`<section class="card"><h3>Failures</h3><p class="muted">${run.done > 0 ? 'None so far.' : 'None yet.'}</p></section>`
      }
    </div>
    <${BatchSuiteTable} suites=${run.suites} metrics=${metrics} />

    ${
      two &&
      html`<div class="batch-switch" role="group" aria-label="How to show the answers">
      <button type="button" class="button" aria-pressed=${sideBySide ? 'true' : 'false'} onClick=${() => setSideBySide(true)}>Side by side</button>
      <button type="button" class="button" aria-pressed=${sideBySide ? 'false' : 'true'} onClick=${() => setSideBySide(false)}>All answers</button>
    </div>`
    }
    ${
      run.done === 0
        ? html`<section class="card"><h3>Answers</h3><p class="muted">They appear here as they land.</p></section>`
        : two && sideBySide
          ? html`<${LazyPart} key="compare" load=${compareModule} show=${(/** @type {typeof import('./compare.js')} */ m) => html`<${m.BatchCompare} run=${run} />`} text="Loading the answers side by side…" />`
          : html`<${LazyPart} key="table" load=${resultsTableModule} show=${(/** @type {typeof import('./results-table.js')} */ m) => html`<${m.BatchResultsTable} run=${run} />`} text="Loading the answers…" />`
    }
    ${
      run.done > 0 &&
      html`<${LazyPart} key="chat" load=${chatModule} show=${(/** @type {typeof import('./chat.js')} */ m) => html`<${m.BatchChat} run=${run} mode=${mode} onCalled=${onCalled} />`} text="Loading the chat…" />`
    }
  </div>`;
}
