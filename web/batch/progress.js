// @ts-check
/**
 * Where a batch run stands: one bar for the answers in, with what failed and the time left, or
 * the queue position and wait while it is queued. Screen readers hear the state and every
 * quarter, not each answer.
 */
import { html } from '../lib/html.js';
import { percent } from '../lib/format.js';
import { BATCH_STATES, durationText, isActive, msText } from './format.js';

/** @typedef {import('../../shared/batch-types.js').BatchRun} BatchRun */

/** @typedef {import('./use-batch-run.js').Progress} Progress */

/** @param {BatchRun} run @param {Progress | null} progress @param {import('./use-batch-run.js').QueueSpot | null} spot */
function statusText(run, progress, spot) {
  const failed = run.failed > 0 ? `, ${run.failed} failed` : '';
  const counted = `${run.done} of ${run.total} answers${failed}`;
  switch (run.state) {
    case 'queued':
      if (!spot?.position) return 'About to start…';
      return `Waiting in the queue: position ${spot.position}, ${spot.eta_s === null ? 'starting soon' : `starts in about ${durationText(spot.eta_s)}`}.`;
    case 'running': {
      if (!progress) return `${counted}.`;
      const left =
        progress.done >= progress.total ? '' : progress.eta_s === null ? ' · estimating the time left…' : ` · about ${durationText(progress.eta_s)} left`;
      return `${progress.done} of ${progress.total} prompts run${failed}${left}.`;
    }
    case 'done': {
      const ms = run.started_at && run.finished_at ? Date.parse(run.finished_at) - Date.parse(run.started_at) : null;
      const took = ms === null ? '' : ` in ${ms < 60_000 ? msText(ms) : durationText(ms / 1000)}`;
      return `Done${took}: ${counted}.`;
    }
    case 'cancelled':
      return `Cancelled at ${counted}. What is done stays; Resume runs the rest.`;
    default:
      return `Stopped at ${counted}. Resume runs the prompts left.`;
  }
}

/** @param {{ run: BatchRun, progress: Progress | null, spot: import('./use-batch-run.js').QueueSpot | null }} props progress: the running job's own count */
export function BatchProgress({ run, progress, spot }) {
  const counted = run.state === 'running' && progress ? progress : run;
  const width = percent(counted.done, counted.total);
  const text = statusText(run, progress, spot);
  const spoken = isActive(run.state) ? `${BATCH_STATES[run.state]}: ${Math.floor(width / 25) * 25}% of answers in.` : text;
  return html`<section class="card batch-progress" aria-labelledby="batch-progress-title" data-testid="batch-progress" data-done=${counted.done} data-total=${counted.total}>
    <h3 id="batch-progress-title">Progress</h3>
    <p class="progress-status" data-testid="batch-progress-status">${text}</p>
    <span class="step-bar batch-bar" role="progressbar" aria-labelledby="batch-progress-title" aria-valuemin="0" aria-valuemax=${counted.total} aria-valuenow=${counted.done}
      aria-valuetext=${`${counted.done} of ${counted.total}`} data-state=${run.state}>
      <span class="step-fill" data-indeterminate=${run.state === 'queued' ? 'true' : undefined} style=${{ width: `${width}%` }}></span>
    </span>
    <p class="sr-only" role="status">${spoken}</p>
  </section>`;
}
