// @ts-check
/** How a research run reads: states, steps, short hypothesis labels, links. Pure. */

import { hypothesisLabels as labelsOf } from '../../shared/ranking.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */
/** @typedef {import('../../shared/research-types.js').RunState} RunState */
/** @typedef {import('../../shared/research-types.js').CycleStep} CycleStep */

/** @type {Record<RunState, string>} */
export const STATE_LABELS = {
  queued: 'Queued',
  running: 'Running',
  idle: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
  refused: 'Goal declined',
};

/** @type {Record<CycleStep, string>} */
export const STEP_LABELS = {
  screen: 'Screen the goal',
  screen_input: 'Screen your input',
  literature: 'Search the literature',
  generate: 'Generate',
  review: 'Review',
  tournament: 'Tournament',
  deep_review: 'Deep review of the leaders',
  evolve: 'Evolve',
  proximity: 'Proximity',
  meta_review: 'Meta-review',
  overview: 'Research overview',
};

/** @type {Record<string, string>} the evolve strategies' names */
export const STRATEGY_LABELS = {
  combine: 'combined',
  simplify: 'simplified',
  ground: 'grounded in evidence',
  out_of_the_box: 'out of the box',
  feasibility: 'made feasible',
  inspiration: 'inspired by the top ideas',
};

/** @param {RunState} state a cycle is on its way */
export const isBusy = (state) => state === 'queued' || state === 'running';

/**
 * The steps of one cycle in order, as the engine runs them: the first screens the goal, a run
 * with literature searches it before generating, the request's last writes the overview.
 * @param {import('../../shared/research-types.js').Cycle} cycle
 * @param {boolean} [literature] the run searches the literature (a cycle that did shows it anyway)
 * @returns {CycleStep[]}
 */
export function cycleSteps(cycle, literature = false) {
  /** @type {CycleStep[]} */
  const steps = ['generate', 'review', 'tournament', 'deep_review', 'evolve', 'proximity', 'meta_review'];
  if (literature || cycle.steps_done.includes('literature')) steps.unshift('literature');
  if (cycle.steps_done.includes('screen_input') || cycle.step === 'screen_input') steps.unshift('screen_input');
  if (cycle.index === 0) steps.unshift('screen');
  if (cycle.last) steps.push('overview');
  return steps;
}

/**
 * Short names (H1, H2, …) in the order hypotheses were made (shared/ranking.js, as the exports name them).
 * @param {Run} run
 * @returns {Map<string, string>}
 */
export const hypothesisLabels = (run) => labelsOf(run.hypotheses);

/** @param {number} elo on a 0.01 grid; shown whole */
export const eloText = (elo) => Math.round(elo).toLocaleString('en-US');

/** @param {number | null} s seconds */
export function etaText(s) {
  if (s === null) return 'soon';
  if (s < 60) return `about ${Math.max(1, Math.round(s))} s`;
  return `about ${Math.round(s / 60)} min`;
}

/** @param {string} id the page's own link to a run: reload and sharing keep it */
export const runHash = (id) => `#/research/${encodeURIComponent(id)}`;

/** @param {string} id */
export const shareUrl = (id) => new URL(runHash(id), window.location.href).href;

/**
 * A hypothesis's preregistration draft (Markdown download).
 * @param {string} runId
 * @param {string} hid
 */
export const preregHref = (runId, hid) => `./api/research/runs/${encodeURIComponent(runId)}/hypotheses/${encodeURIComponent(hid)}/preregistration`;

/** @param {string} id @param {'md' | 'json'} format */
export const exportHref = (id, format) => `./api/research/runs/${encodeURIComponent(id)}/export?format=${format}`;

/** @param {string} id @param {string} [rest] e.g. "/cancel", for api() */
export const runPath = (id, rest = '') => `research/runs/${encodeURIComponent(id)}${rest}`;

/** @param {number | string} at epoch ms or ISO */
export function when(at) {
  const d = new Date(at);
  return d.toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
