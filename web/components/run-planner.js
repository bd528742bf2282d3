// @ts-check
/**
 * "Plan a run": pick a model and the size of a research run, and see before anything runs how
 * many model calls it makes and the most it can cost (POST /api/research/estimate, which prices
 * with the same code that settles). Loaded with import() by the Research tab.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { useCatalog } from '../lib/catalog-data.js';
import { dollars } from '../lib/catalog-format.js';
import { count } from '../lib/format.js';

/** @typedef {import('../lib/catalog-query.js').CatalogModel} CatalogModel */
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
 * @property {Array<{ cycle: number, calls: number, calls_max: number, max_usd: number | null }>} per_cycle
 * @property {Record<string, StepEstimate>} by_step
 * @property {{ cycles_left: number } | null} quota
 */

const DEBOUNCE_MS = 300;
const MAX_CYCLES_OWN_KEY = 20; // what the estimate accepts when no session quota applies

/** The steps of a run in the order they happen, as the breakdown names them. */
const STEPS = /** @type {const} */ ([
  ['screen', 'Screen the goal'],
  ['generate', 'Generate'],
  ['review', 'Review'],
  ['match', 'Tournament matches'],
  ['debate', 'Debates'],
  ['evolve', 'Evolve'],
  ['meta_review', 'Meta-review'],
  ['overview', 'Research overview'],
]);

/** @param {CatalogModel} m */
function optionText(m) {
  if (m.free) return `${m.name} · free`;
  if (!m.price_per_1m) return `${m.name} · price unknown`;
  return `${m.name} · ${dollars(m.price_per_1m.input)} / ${dollars(m.price_per_1m.output)} per 1M`;
}

/** @param {{ usd: number | null, free: boolean, bare?: boolean }} props bare: without "up to" (a column that says it) */
const Cost = ({ usd, free, bare }) => (free ? 'free' : usd === null ? 'unknown' : `${bare ? '' : 'up to '}${dollars(usd)}`);

/** @param {string} text a typed number; null when it is not a whole number in range */
function whole(text, min = 1, max = Infinity) {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/**
 * @param {{ config: import('../lib/use-config.js').PublicConfig, mode: import('../lib/mode.js').EffectiveMode }} props
 */
export function RunPlanner({ config, mode }) {
  const { catalog, loadError, reload } = useCatalog();
  const ownKey = mode === 'byok';
  const maxHyp = config.limits.max_hypotheses_per_cycle;
  const maxCycles = ownKey ? MAX_CYCLES_OWN_KEY : config.limits.max_cycles_per_session;

  // This Space's list first; with a key, every other model the key may use after it.
  const groups = useMemo(() => {
    const usable = (catalog?.models ?? []).filter((m) => m.tier === 'anonymous' || (ownKey && m.tier === 'byok'));
    return { listed: usable.filter((m) => m.allowed), others: usable.filter((m) => !m.allowed) };
  }, [catalog, ownKey]);

  const [model, setModel] = useState('');
  const [hypotheses, setHypotheses] = useState(String(Math.min(3, maxHyp)));
  const [cycles, setCycles] = useState('1');
  const [debate, setDebate] = useState(true);
  const [estimate, setEstimate] = useState(/** @type {Estimate | null} */ (null));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const [pending, setPending] = useState(false);

  const chosen = model || groups.listed[0]?.id || groups.others[0]?.id || '';
  const hyp = whole(hypotheses, 1, 50);
  const cyc = whole(cycles, 1, maxCycles);

  useEffect(() => {
    if (!chosen || hyp === null || cyc === null) return undefined;
    const controller = new AbortController();
    setPending(true);
    // Typing "12" asks once, for 12, not for 1 and then 12.
    const timer = setTimeout(() => {
      api('research/estimate', { body: { model: chosen, hypotheses: hyp, cycles: cyc, settings: { debate } }, signal: controller.signal })
        .then((/** @type {Estimate} */ e) => {
          setEstimate(e);
          setError(null);
        })
        .catch((err) => {
          if (controller.signal.aborted) return;
          setEstimate(null);
          setError(err.message);
        })
        .finally(() => controller.signal.aborted || setPending(false));
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [chosen, hyp, cyc, debate, ownKey]);

  /** @param {Event} e */
  const value = (e) => /** @type {HTMLInputElement | HTMLSelectElement} */ (e.currentTarget).value;

  let body;
  if (!catalog) {
    body = loadError
      ? html`<p class="callout" data-tone="warn" role="alert">The models could not be loaded: ${loadError.message} <button type="button" class="link-button" onClick=${reload}>Try again</button></p>`
      : html`<p class="muted" aria-busy="true">Loading the models you may use…</p>`;
  } else if (!chosen) {
    body = html`<p class="muted">No model here is open to you yet.${config.key_modes.byok ? ' Add your own key in Settings to use one.' : ''}</p>`;
  } else {
    body = html`<div class="plan-fields">
        <div class="catalog-field plan-model">
          <label for="plan-model">Model</label>
          <select id="plan-model" value=${chosen} onChange=${(/** @type {Event} */ e) => setModel(value(e))}>
            ${groups.listed.length > 0 &&
            html`<optgroup label="On this Space's list">
              ${groups.listed.map((m) => html`<option key=${m.id} value=${m.id}>${optionText(m)}</option>`)}
            </optgroup>`}
            ${groups.others.length > 0 &&
            html`<optgroup label="Any other model, on your key">
              ${groups.others.map((m) => html`<option key=${m.id} value=${m.id}>${optionText(m)}</option>`)}
            </optgroup>`}
          </select>
        </div>
        <div class="catalog-field">
          <label for="plan-hypotheses">Hypotheses per cycle</label>
          <input id="plan-hypotheses" type="number" inputmode="numeric" min="1" max=${maxHyp} value=${hypotheses}
            onInput=${(/** @type {Event} */ e) => setHypotheses(value(e))} aria-invalid=${hyp === null ? 'true' : 'false'} aria-describedby="plan-hypotheses-max" />
          <span id="plan-hypotheses-max" class="field-note">max ${maxHyp} here</span>
        </div>
        <div class="catalog-field">
          <label for="plan-cycles">Cycles</label>
          <input id="plan-cycles" type="number" inputmode="numeric" min="1" max=${maxCycles} value=${cycles}
            onInput=${(/** @type {Event} */ e) => setCycles(value(e))} aria-invalid=${cyc === null ? 'true' : 'false'} aria-describedby="plan-cycles-max" />
          <span id="plan-cycles-max" class="field-note">${ownKey ? `up to ${maxCycles} on your key` : `max ${maxCycles} per session`}</span>
        </div>
        <label class="check plan-debate">
          <input type="checkbox" checked=${debate} onChange=${(/** @type {Event} */ e) => setDebate(/** @type {HTMLInputElement} */ (e.currentTarget).checked)} />
          Debate the closest pairs
        </label>
      </div>
      ${hyp === null || cyc === null
        ? html`<p class="field-error">Hypotheses and cycles are whole numbers from 1 (cycles: up to ${maxCycles}).</p>`
        : html`<${Result} estimate=${estimate} error=${error} pending=${pending} />`}`;
  }

  return html`<section class="card plan" aria-labelledby="plan-title" data-testid="run-planner">
    <h3 id="plan-title">Plan a run</h3>
    <p class="muted">See what a run would cost before it starts. Nothing runs and nothing is charged here.</p>
    ${body}
    <p class="plan-next muted">Running cycles arrives with the research engine in the next release.</p>
  </section>`;
}

/** @param {{ estimate: Estimate | null, error: string | null, pending: boolean }} props */
function Result({ estimate: e, error, pending }) {
  if (error) return html`<p class="callout" data-tone="warn" role="alert" data-testid="plan-error">${error}</p>`;
  if (!e) return html`<p class="plan-result muted" aria-busy="true">Working out the plan…</p>`;
  const steps = STEPS.filter(([key]) => e.by_step[key]);
  return html`<div class="plan-result" data-stale=${pending ? 'true' : undefined} aria-busy=${pending ? 'true' : 'false'}>
    <p class="plan-total" aria-live="polite" data-testid="plan-total">
      <strong data-testid="plan-calls" data-calls=${e.calls} data-calls-max=${e.calls_max}>${count(e.calls, 'call')}</strong>
      ${' '}(at most ${e.calls_max.toLocaleString('en-US')} if answers need repair) ·${' '}
      <strong data-testid="plan-cost" data-usd=${e.max_usd ?? ''}><${Cost} usd=${e.max_usd} free=${e.free} /></strong>${e.free ? '' : e.paid_by === 'you' ? ', paid by you' : ', paid by this Space'}
      ${e.quota && html` · <span data-testid="plan-cycles-left" data-left=${e.quota.cycles_left}>${count(e.quota.cycles_left, 'cycle')} left this session</span>`}
    </p>
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
      ${e.cycles > 1 &&
      html`<ul class="plan-cycles">
        ${e.per_cycle.map((c) => html`<li key=${c.cycle}>Cycle ${c.cycle + 1}: ${c.calls}–${c.calls_max} calls, <${Cost} usd=${c.max_usd} free=${e.free} /></li>`)}
      </ul>`}
    </details>
  </div>`;
}
