// @ts-check
/**
 * What a planned run will do before it runs (POST /api/research/estimate, priced by the code that
 * settles): calls, the most it can cost, who pays, the literature lookups it may make (not model
 * calls; only with literature on), the cycles left, and the breakdown by step.
 * The Run button sits on the same line, so the price is in view when it is pressed.
 */
import { html } from '../lib/html.js';
import { dollars } from '../models/catalog-format.js';
import { count } from '../lib/format.js';
import { lookupsText } from './literature-format.js';

/** @typedef {{ calls: number, repairs_max: number, max_usd: number | null }} StepEstimate */
/**
 * @typedef {object} Estimate
 * @property {string} model
 * @property {boolean} free
 * @property {'space' | 'you'} paid_by
 * @property {{ hypotheses: { asked: number, max: number } } | null} clamped
 * @property {number} cycles
 * @property {number} calls
 * @property {number} calls_max
 * @property {number | null} max_usd
 * @property {number} lookups_max literature requests at most (searches and reference checks); 0 with literature off
 * @property {Array<{ cycle: number, calls: number, calls_max: number, max_usd: number | null, lookups_max: number }>} per_cycle
 * @property {Record<string, StepEstimate>} by_step
 * @property {Record<string, any>} settings what the run would use, defaults filled in
 * @property {{ cycles_left: number } | null} quota
 */

/** The steps of a run in the order they happen, as the breakdown names them. */
const STEPS = /** @type {const} */ ([
  ['screen', 'Screen the goal'],
  ['queries', 'Literature queries'],
  ['generate', 'Generate'],
  ['review', 'Review'],
  ['match', 'Tournament matches'],
  ['debate', 'Debates'],
  ['deep_review', 'Deep verification'],
  ['evolve', 'Evolve'],
  ['meta_review', 'Meta-review'],
  ['overview', 'Research overview'],
]);

/** @param {{ usd: number | null, free: boolean, bare?: boolean }} props bare: without "up to" (a column that says it) */
const Cost = ({ usd, free, bare }) => (free ? 'free' : usd === null ? 'unknown' : `${bare ? '' : 'up to '}${dollars(usd)}`);

/** @param {{ estimate: Estimate | null, error: string | null, pending: boolean, children?: any }} props children: the Run button */
export function PlanEstimate({ estimate: e, error, pending, children }) {
  if (error) {
    return html`<div class="plan-go">
      <p class="callout" data-tone="warn" role="alert" data-testid="plan-error">${error}</p>
      ${children}
    </div>`;
  }
  if (!e) return html`<div class="plan-go"><p class="plan-total muted" aria-busy="true">Working out the plan…</p>${children}</div>`;
  const steps = STEPS.filter(([key]) => e.by_step[key]);
  return html`<div class="plan-result" data-stale=${pending ? 'true' : undefined} aria-busy=${pending ? 'true' : 'false'}>
    <div class="plan-go">
      <p class="plan-total" aria-live="polite" data-testid="plan-total">
        <strong data-testid="plan-calls" data-calls=${e.calls} data-calls-max=${e.calls_max}>${count(e.calls, 'call')}</strong>
        ${' '}(at most ${e.calls_max.toLocaleString('en-US')} if answers need repair) ·${' '}
        <strong data-testid="plan-cost" data-usd=${e.max_usd ?? ''}><${Cost} usd=${e.max_usd} free=${e.free} /></strong>${e.free ? '' : e.paid_by === 'you' ? ', paid by you' : ', paid by this Space'}
        ${e.lookups_max > 0 && html` · <span data-testid="plan-lookups" data-lookups-max=${e.lookups_max} title="Searches and reference checks: not model calls, never charged">${lookupsText(e.lookups_max)}</span>`}
        ${e.quota && html` · <span data-testid="plan-cycles-left" data-left=${e.quota.cycles_left}>${count(e.quota.cycles_left, 'cycle')} left this session</span>`}
      </p>
      ${children}
    </div>
    ${e.clamped && html`<p class="muted">You asked for ${e.clamped.hypotheses.asked} hypotheses; this Space plans ${e.clamped.hypotheses.max} per cycle at most.</p>`}
    ${e.max_usd === null && !e.free && html`<p class="muted">The catalog gives no price for this model, so its cost cannot be bounded.</p>`}
    <details class="plan-steps">
      <summary>Calls by step${e.cycles > 1 ? ' and cycle' : ''}</summary>
      <table class="plan-table">
        <thead><tr><th scope="col">Step</th><th scope="col" class="num">Calls</th><th scope="col" class="num">Repairs, at most</th><th scope="col" class="num">Cost, up to</th></tr></thead>
        <tbody>
          ${steps.map(([key, label]) => {
            const s = e.by_step[key];
            return html`<tr key=${key}><th scope="row">${label}</th><td class="num">${s.calls}</td><td class="num">${s.repairs_max}</td><td class="num"><${Cost} usd=${s.max_usd} free=${e.free} bare /></td></tr>`;
          })}
        </tbody>
      </table>
      ${e.lookups_max > 0 && html`<p class="field-note">Literature lookups (searches and reference checks) are not model calls and cost nothing; each cycle makes ${lookupsText(e.per_cycle[0]?.lookups_max ?? e.lookups_max)}.</p>`}
      ${
        e.cycles > 1 &&
        html`<ul class="plan-cycles">
        ${e.per_cycle.map(
          (c) =>
            html`<li key=${c.cycle}>Cycle ${c.cycle + 1}: ${c.calls}–${c.calls_max} calls, <${Cost} usd=${c.max_usd} free=${e.free} />${c.lookups_max > 0 ? `, ${lookupsText(c.lookups_max)}` : ''}</li>`,
        )}
      </ul>`
      }
    </details>
  </div>`;
}
