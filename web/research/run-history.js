// @ts-check
/** This session's research runs, newest first (GET /api/research/runs), each a link to the run. */
import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { dollars } from '../models/catalog-format.js';
import { count } from '../lib/format.js';
import { eloText, runHash, STATE_LABELS, when } from './format.js';

/** @typedef {import('../../shared/research-types.js').RunSummary} RunSummary */

export function RunHistory() {
  const [runs, setRuns] = useState(/** @type {RunSummary[] | null} */ (null));
  const [error, setError] = useState(/** @type {string | null} */ (null));

  useEffect(() => {
    const controller = new AbortController();
    api('research/runs', { signal: controller.signal })
      .then((/** @type {{ runs: RunSummary[] }} */ r) => setRuns(r.runs))
      .catch((err) => controller.signal.aborted || setError(err.message));
    return () => controller.abort();
  }, []);

  let body;
  if (error) body = html`<p class="callout" data-tone="warn" role="alert">Your runs could not be listed: ${error}</p>`;
  else if (!runs) body = html`<p class="muted" aria-busy="true">Loading your runs…</p>`;
  else if (runs.length === 0) body = html`<p class="muted">No runs in this session yet. The ones you start appear here.</p>`;
  else {
    body = html`<ul class="run-list">
      ${runs.map(
        (r) => html`<li key=${r.id} data-testid="history-run" data-id=${r.id}>
          <a class="run-link" href=${runHash(r.id)}>${r.goal}</a>
          <span class="run-meta">
            <span class="state-pill" data-state=${r.state}>${STATE_LABELS[r.state] ?? r.state}</span>
            <span>${count(r.cycles, 'cycle')} · ${count(r.hypotheses, 'hypothesis', 'hypotheses')}</span>
            ${r.best && html`<span>best: ${r.best.title} (${eloText(r.best.elo)})</span>`}
            <span>${count(r.usage.calls, 'call')}${r.usage.usd > 0 ? `, ${dollars(r.usage.usd)}` : ''}</span>
            <span>${when(r.created_at)}</span>
          </span>
        </li>`,
      )}
    </ul>`;
  }
  return html`<section class="card" aria-labelledby="history-title" data-testid="run-history">
    <h3 id="history-title">Your runs</h3>
    ${body}
  </section>`;
}
