// @ts-check
/**
 * The start form: a goal, a model and the size of the run, advanced settings, and before anything
 * runs how many model calls it makes and the most it can cost (POST /api/research/estimate).
 * Run starts it (POST /api/research/runs) and opens it at its own link. Loaded with import() by
 * the Research tab.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { useCatalog } from '../models/catalog-data.js';
import { dollars } from '../models/catalog-format.js';
import { runHash } from './format.js';
import { GOAL_MIN, GoalField } from './goal-field.js';
import { PlanEstimate } from './plan-estimate.js';
import { RunSettings } from './run-settings.js';
import { parseOverrides } from './run-settings-values.js';

/** @typedef {import('../models/catalog-query.js').CatalogModel} CatalogModel */
/** @typedef {import('./plan-estimate.js').Estimate} Estimate */

const DEBOUNCE_MS = 300;
const MAX_CYCLES_OWN_KEY = 20; // what the server accepts when no session quota applies

/** @param {CatalogModel} m */
function optionText(m) {
  if (m.free) return `${m.name} · free`;
  if (!m.price_per_1m) return `${m.name} · price unknown`;
  return `${m.name} · ${dollars(m.price_per_1m.input)} / ${dollars(m.price_per_1m.output)} per 1M`;
}

/** @param {string} text a typed number; null when it is not a whole number in range */
function whole(text, min = 1, max = Infinity) {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/**
 * @param {{
 *   config: import('../lib/use-config.js').PublicConfig,
 *   mode: import('../lib/mode.js').EffectiveMode,
 *   onStarted?: () => void,
 * }} props onStarted: after the server took the run (the usage meter catches up)
 */
export function RunPlanner({ config, mode, onStarted }) {
  const { catalog, loadError, reload } = useCatalog();
  const ownKey = mode === 'byok';
  const maxHyp = config.limits.max_hypotheses_per_cycle;
  const maxCycles = ownKey ? MAX_CYCLES_OWN_KEY : config.limits.max_cycles_per_session;

  // This Space's list first; with a key, every other model the key may use after it.
  const groups = useMemo(() => {
    const usable = (catalog?.models ?? []).filter((m) => m.tier === 'anonymous' || (ownKey && m.tier === 'byok'));
    return { listed: usable.filter((m) => m.allowed), others: usable.filter((m) => !m.allowed) };
  }, [catalog, ownKey]);

  const [goal, setGoal] = useState('');
  const [model, setModel] = useState('');
  const [hypotheses, setHypotheses] = useState(String(Math.min(3, maxHyp)));
  const [cycles, setCycles] = useState('1');
  const [debate, setDebate] = useState(true);
  const [typed, setTyped] = useState(/** @type {import('./run-settings-values.js').Overrides} */ ({}));
  const [estimate, setEstimate] = useState(/** @type {Estimate | null} */ (null));
  const [shown, setShown] = useState(/** @type {Record<string, any> | null} */ (null));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const [pending, setPending] = useState(false);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState(/** @type {string | null} */ (null));

  const chosen = model || groups.listed[0]?.id || groups.others[0]?.id || '';
  const hyp = whole(hypotheses, 1, 50);
  const cyc = whole(cycles, 1, maxCycles);
  const cleanGoal = goal.trim();
  const goalReady = cleanGoal.length >= GOAL_MIN;
  const overrides = parseOverrides(typed).settings;
  // What the estimate and the run are asked with; the goal's size only bounds the price once it is a goal.
  const plan = { model: chosen, ...(goalReady ? { goal: cleanGoal } : {}), hypotheses: hyp ?? 1, cycles: cyc ?? 1, settings: { ...overrides, debate } };
  const planKey = JSON.stringify(plan);

  useEffect(() => {
    if (!chosen || hyp === null || cyc === null) return undefined;
    const controller = new AbortController();
    setPending(true);
    // Typing "12" asks once, for 12, not for 1 and then 12.
    const timer = setTimeout(() => {
      api('research/estimate', { body: plan, signal: controller.signal })
        .then((/** @type {Estimate} */ e) => {
          setEstimate(e);
          setShown(e.settings);
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
  }, [planKey, ownKey]);

  /** @param {Event} e */
  const start = async (e) => {
    e.preventDefault();
    if (!goalReady || hyp === null || cyc === null || starting) return;
    setStarting(true);
    setStartError(null);
    try {
      /** @type {{ id: string }} */
      const started = await api('research/runs', { body: { ...plan, goal: cleanGoal } });
      onStarted?.();
      window.location.hash = runHash(started.id);
    } catch (err) {
      setStartError(err instanceof Error ? err.message : String(err));
      setStarting(false);
    }
  };

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
    const why = !goalReady ? 'Write a goal first.' : hyp === null || cyc === null ? 'Fix the numbers first.' : null;
    const run = html`<div class="plan-run">
      <button type="submit" class="button" data-tone="primary" disabled=${why !== null || starting} aria-describedby=${why ? 'plan-run-why' : undefined}>
        ${starting ? 'Starting…' : 'Run'}
      </button>
      ${why && html`<span id="plan-run-why" class="field-note">${why}</span>`}
    </div>`;
    body = html`<form class="plan-form" onSubmit=${start} novalidate>
      <${GoalField} goal=${goal} onGoal=${setGoal} />
      <div class="plan-fields">
        <div class="catalog-field plan-model">
          <label for="plan-model">Model</label>
          <select id="plan-model" value=${chosen} onChange=${(/** @type {Event} */ e) => setModel(value(e))}>
            ${
              groups.listed.length > 0 &&
              html`<optgroup label="On this Space's list">
              ${groups.listed.map((m) => html`<option key=${m.id} value=${m.id}>${optionText(m)}</option>`)}
            </optgroup>`
            }
            ${
              groups.others.length > 0 &&
              html`<optgroup label="Any other model, on your key">
              ${groups.others.map((m) => html`<option key=${m.id} value=${m.id}>${optionText(m)}</option>`)}
            </optgroup>`
            }
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
      <${RunSettings} typed=${typed} onType=${setTyped} shown=${shown} debate=${debate} />
      ${
        hyp === null || cyc === null
          ? html`<p class="field-error">Hypotheses and cycles are whole numbers from 1 (cycles: up to ${maxCycles}).</p>${run}`
          : html`<${PlanEstimate} estimate=${estimate} error=${error} pending=${pending}>${run}<//>`
      }
      ${startError && html`<p class="callout" data-tone="warn" role="alert" data-testid="start-error">${startError}</p>`}
    </form>`;
  }

  return html`<section class="card plan" aria-labelledby="plan-title" data-testid="run-planner">
    <h3 id="plan-title">Start a run</h3>
    <p class="muted">See what a run costs before it starts; nothing is charged until you press Run.</p>
    ${body}
  </section>`;
}
