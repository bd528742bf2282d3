// @ts-check
/**
 * What a planned batch run will do before it runs (POST batch/estimate): the calls, the judge's
 * calls, the most output tokens, and the most it can cost where the catalog knows the price.
 * The Run button sits on the same line, so the size is in view when it is pressed.
 */
import { html } from '../lib/html.js';
import { dollars } from '../models/catalog-format.js';
import { count } from '../lib/format.js';
import { TAGS } from './format.js';

/** @typedef {import('../../shared/batch-types.js').BatchEstimate} BatchEstimate */

/** @param {number | null} usd */
const worst = (usd) => (usd === null ? 'price unknown' : `up to ${dollars(usd)}`);

/** @param {{ estimate: BatchEstimate | null, error: string | null, pending: boolean, children?: any }} props children: the Run button */
export function BatchEstimateLine({ estimate: e, error, pending, children }) {
  if (error || !e) {
    return html`<div class="plan-go">
      ${
        error
          ? html`<p class="callout" data-tone="warn" role="alert" data-testid="estimate-error">${error}</p>`
          : html`<p class="plan-total muted" aria-busy="true">Working out the plan…</p>`
      }
      ${children}
    </div>`;
  }
  const judged = e.endpoints.reduce((n, x) => n + x.judge_calls, 0);
  const tokens = e.endpoints.reduce((n, x) => n + x.max_output_tokens, 0);
  return html`<div class="plan-result" data-stale=${pending ? 'true' : undefined} aria-busy=${pending ? 'true' : 'false'} data-testid="batch-estimate">
    <div class="plan-go">
      <p class="plan-total" aria-live="polite">
        <strong data-testid="estimate-prompts" data-prompts=${e.prompts}>${count(e.prompts, 'prompt')}</strong>
        ${e.endpoints.length > 1 ? ` × ${e.endpoints.length} endpoints` : ''} ·${' '}
        <strong data-testid="estimate-calls" data-calls=${e.total + judged}>${count(e.total, 'call')}</strong>${judged > 0 ? ` + ${count(judged, 'judge call')}` : ''} ·
        at most ${tokens.toLocaleString('en-US')} output tokens ·${' '}
        <strong data-testid="estimate-cost" data-usd=${e.max_usd ?? ''}>${worst(e.max_usd)}</strong>
      </p>
      ${children}
    </div>
    ${
      e.endpoints.length > 1 &&
      html`<ul class="batch-estimate-split">
      ${e.endpoints.map((x) => html`<li key=${x.endpoint}><span class="batch-tag" data-series=${x.endpoint}>${TAGS[x.endpoint]}</span> <code>${x.model}</code>: ${count(x.calls, 'call')}${x.judge_calls > 0 ? ` (${x.judge_calls} judging)` : ''}, ${worst(x.max_usd)}</li>`)}
    </ul>`
    }
    <p class="field-note">${e.note}</p>
  </div>`;
}
