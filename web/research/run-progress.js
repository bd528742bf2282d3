// @ts-check
/**
 * Where the run stands: a bar per step of the current cycle (the running step with its done/total
 * from the live topic), the queue position and wait while it is queued, and each cycle's calls,
 * cost and literature lookups against its plan. One polite live region says what changed.
 */
import { html } from '../lib/html.js';
import { dollars } from '../models/catalog-format.js';
import { count, percent } from '../lib/format.js';
import { cycleSteps, etaText, isBusy, STEP_LABELS } from './format.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */
/** @typedef {import('./use-run.js').StepProgress} StepProgress */

/**
 * @param {{ label: string, done: number | null, total: number | null, state: 'done' | 'now' | 'waiting', note: string }} props done null: under way, not counted yet
 */
function StepBar({ label, done, total, state, note }) {
  const counted = done !== null && total !== null;
  const width = state === 'done' ? 100 : counted ? percent(done, total) : 0;
  return html`<li class="step-row" data-state=${state} data-testid="step-progress">
    <span class="step-name">${label}</span>
    <span class="step-bar" role="progressbar" aria-label=${label} aria-valuemin="0" aria-valuemax=${counted ? total : 1}
      aria-valuenow=${state === 'done' ? (counted ? total : 1) : counted ? done : state === 'waiting' ? 0 : undefined} aria-valuetext=${note}>
      <span class="step-fill" data-indeterminate=${state === 'now' && !counted ? 'true' : undefined} style=${{ width: `${width}%` }}></span>
    </span>
    <span class="step-note">${note}</span>
  </li>`;
}

/** @param {{ run: Run, progress: Record<string, StepProgress>, spot: import('./use-run.js').QueueSpot | null }} props */
export function RunProgress({ run, progress, spot }) {
  const cycle = run.cycles.at(-1);
  if (!cycle) return null;
  const n = cycle.index + 1;
  const running = cycle.state === 'running';
  const now = running && cycle.step ? progress[cycle.step] : undefined;

  let status = `Cycle ${n}: ${cycle.state}.`;
  if (run.state === 'queued' && !running) {
    status = spot?.position
      ? `Cycle ${n} is waiting in the queue: position ${spot.position}, starts in ${etaText(spot.eta_s)}.`
      : `Cycle ${n} is about to start.`;
  } else if (running && cycle.step) {
    status = `Cycle ${n}: ${STEP_LABELS[cycle.step]}${now ? `, ${now.done} of ${now.total}` : ''}${now?.message ? ` (${now.message})` : ''}.`;
  } else if (cycle.state === 'done') {
    status = `Cycle ${n} is done.`;
  }

  return html`<section class="card run-progress" aria-labelledby="progress-title" data-testid="run-progress">
    <h3 id="progress-title">Progress</h3>
    <p class="progress-status" role="status" aria-live="polite" data-testid="progress-status">${status}</p>
    <ol class="step-list" aria-label=${`Steps of cycle ${n}`}>
      ${cycleSteps(cycle, run.literature !== null).map((step) => {
        const done = cycle.steps_done.includes(step);
        const current = !done && running && cycle.step === step;
        const p = current ? progress[step] : undefined;
        /** @type {'done' | 'now' | 'waiting'} */
        const state = done ? 'done' : current ? 'now' : 'waiting';
        const note = done ? 'done' : current ? (p ? `${p.done} of ${p.total}` : 'starting') : isBusy(run.state) ? 'waiting' : 'not run';
        return html`<${StepBar} key=${step} label=${STEP_LABELS[step]} done=${p?.done ?? null} total=${p?.total ?? null} state=${state} note=${note} />`;
      })}
    </ol>
    <ul class="cycle-list" aria-label="Cycles">
      ${run.cycles.map(
        (c) => html`<li key=${c.index} data-state=${c.state}>
          <strong>Cycle ${c.index + 1}</strong> · ${c.state} · ${c.calls} of ${c.plan.calls} planned calls
          ${c.plan.max_usd === null ? ` · ${dollars(c.usd)}, price unknown` : c.plan.max_usd > 0 ? ` · ${dollars(c.usd)} of up to ${dollars(c.plan.max_usd)}` : ' · free'}
          ${c.plan.lookups_max > 0 && html`<span data-testid="cycle-lookups"> · ${c.lookups} of up to ${count(c.plan.lookups_max, 'literature lookup')}</span>`}
          ${c.error && html`<span class="field-error"> · ${c.error.message}</span>`}
        </li>`,
      )}
    </ul>
  </section>`;
}
