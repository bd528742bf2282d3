// @ts-check
/**
 * The Batch tab without a run open: connect an endpoint, the endpoints saved for this session
 * (one or two of them picked for the next run), the planner, this session's runs and the limits
 * here. Loaded with import() by the tab; the list of runs loads once there is one.
 */
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { useGet } from './load.js';
import { BatchConnect } from './connect.js';
import { BatchPlanner } from './planner.js';
import { lazy } from '../lib/lazy.js';
import { LazyPart } from '../lib/lazy-part.js';
import { BatchSessionList } from './session-list.js';
import { Facts } from '../lib/facts.js';

const runListModule = lazy(() => import('./run-list.js'));

/** @param {{ config: import('../lib/use-config.js').PublicConfig }} props */
export function BatchHome({ config }) {
  const { batch } = config;
  const saved = /** @type {ReturnType<typeof useGet<{ sessions: import('../../shared/batch-types.js').BatchSession[] }>>} */ (useGet('batch/sessions'));
  const { error, reload } = saved;
  const sessions = saved.data?.sessions ?? null;
  const listed = /** @type {ReturnType<typeof useGet<{ runs: import('../../shared/batch-types.js').BatchRunSummary[] }>>} */ (useGet('batch/runs'));
  const runs = listed.data?.runs;
  const [picked, setPicked] = useState(/** @type {string[]} */ ([]));
  const [models, setModels] = useState(/** @type {string[]} */ ([]));
  const list = sessions ?? [];
  // Picked ones that still exist; with none picked, the first saved endpoint.
  const kept = picked.filter((id) => list.some((s) => s.id === id));
  const chosen = kept.length > 0 ? kept : list.slice(0, 1).map((s) => s.id);
  const toggle = (/** @type {string} */ id) => setPicked(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id].slice(-2));

  return html`<div class="grid-2 batch-setup">
      <${BatchConnect}
        config=${config}
        models=${models}
        onModels=${setModels}
        onSaved=${(/** @type {import('../../shared/batch-types.js').BatchSession} */ s) => {
          setPicked([...chosen, s.id].slice(-2));
          reload();
        }}
      />
      <${BatchSessionList} sessions=${sessions} error=${error} chosen=${chosen} onToggle=${toggle} onDeleted=${() => {
        reload();
        listed.reload();
      }} max=${batch.max_active_sessions_per_ip} />
    </div>
    <${BatchPlanner} config=${config} sessions=${chosen.flatMap((id) => list.filter((s) => s.id === id))} models=${models} />
    <section class="card" aria-labelledby="batch-history-title" data-testid="batch-runs">
      <h3 id="batch-history-title">Your runs</h3>
      ${listed.error && html`<p class="callout" data-tone="warn" role="alert">The list of your runs could not be loaded: ${listed.error}</p>`}
      ${!runs && !listed.error && html`<p class="muted" aria-busy="true">Loading the list…</p>`}
      ${runs?.length === 0 && html`<p class="muted">No batch runs in this session yet. The ones you start appear here; deleting an endpoint deletes its runs.</p>`}
      ${
        runs &&
        runs.length > 0 &&
        html`<${LazyPart} load=${runListModule} show=${(/** @type {typeof import('./run-list.js')} */ m) => html`<${m.BatchRunList} runs=${runs} />`} />`
      }
    </section>
    <div class="grid-2">
      <${Facts}
        title="Limits in this Space"
        facts=${[
          { term: 'Endpoints saved at once (per address)', value: batch.max_active_sessions_per_ip },
          { term: 'An endpoint is kept for', value: `${batch.session_ttl_minutes} min` },
          { term: 'Parallel requests', value: `up to ${batch.max_concurrency}` },
          { term: 'Local and private addresses', value: config.private_endpoints_allowed ? 'allowed' : 'blocked' },
        ]}
      />
      <section class="card" aria-labelledby="batch-mode-title">
        <h3 id="batch-mode-title">In every mode</h3>
        <p>Batch tests call your endpoint with your key, never this Space's, so they work even in data-only mode. Your key is encrypted on the server for the endpoint's life only, and Delete removes it at once, with the runs that used it.</p>
      </section>
    </div>`;
}
