// @ts-check
/** This session's batch runs, newest first (from GET /api/batch/runs), each a link to the run. */
import { html } from '../lib/html.js';
import { count, localTime } from '../lib/format.js';
import { BATCH_STATES, batchRunHash, endpointName } from './format.js';

/** @typedef {import('../../shared/batch-types.js').BatchRunSummary} BatchRunSummary */

/** @param {{ runs: BatchRunSummary[] }} props */
export const BatchRunList = ({ runs }) => html`<ul class="run-list">
  ${runs.map(
    (r) => html`<li key=${r.id} data-testid="batch-history-run" data-id=${r.id}>
      <a class="run-link" href=${batchRunHash(r.id)}>${r.endpoints.map(endpointName).join(' vs ')}</a>
      <span class="run-meta">
        <span class="state-pill" data-state=${r.state}>${BATCH_STATES[r.state] ?? r.state}</span>
        <span>${count(r.suites.length, 'suite')} · ${r.done} of ${r.total} answers${r.failed > 0 ? `, ${r.failed} failed` : ''}</span>
        <span>${localTime(r.created_at)}</span>
      </span>
    </li>`,
  )}
</ul>`;
