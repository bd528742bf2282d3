// @ts-check
/**
 * One batch run, kept current (lib/use-live-resource.js). The whole run (prompts, results, the
 * server's metrics) comes from GET batch/runs/:id, which also names its live topic, known to the
 * owner only. On that topic each result is put in its place as it lands (a retried prompt's new
 * result replaces the old one), progress messages carry the count and the time left, and each
 * status change loads the run again, so the metrics shown at the end are the server's. Between
 * two loads the page works them out with the server's own code (shared/batch-metrics.js, fetched
 * the first time a run is seen live: a finished run never needs it).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { lazy, useLazy } from '../lib/lazy.js';
import { RELOAD, useLiveResource, useQueueSpot } from '../lib/use-live-resource.js';
import { batchRunPath } from './format.js';

const batchMetricsModule = lazy(() => import('../../shared/batch-metrics.js'));

/** @typedef {import('../../shared/batch-types.js').BatchRun} BatchRun */
/** @typedef {import('../../shared/batch-types.js').BatchResult} BatchResult */
/** @typedef {{ position: number | null, eta_s: number | null }} QueueSpot */
/** @typedef {{ done: number, total: number, eta_s: number | null }} Progress this job's prompts (a retry counts only what it runs again) */

/**
 * A run with one more result, in its place: prompt by prompt, the endpoints side by side.
 * @param {BatchRun} run
 * @param {BatchResult} result
 * @returns {BatchRun}
 */
export function withResult(run, result) {
  const at = new Map(run.prompts.map((p, i) => [`${p.suite_id}/${p.id}`, i]));
  const order = (/** @type {BatchResult} */ r) => (at.get(`${r.suite_id}/${r.prompt_id}`) ?? 0) * run.endpoints.length + r.endpoint;
  const results = [...run.results.filter((r) => r.slot !== result.slot), result].sort((a, b) => order(a) - order(b));
  return { ...run, results, done: results.length, failed: results.filter((r) => !r.ok).length };
}

/**
 * The run with one live message applied, or RELOAD when it changed in a way only a load shows.
 * @param {BatchRun} run
 * @param {import('../lib/live.js').LiveMessage} msg
 * @returns {BatchRun | typeof RELOAD}
 */
export function applyBatchMessage(run, msg) {
  // The snapshot is only a summary: anything the run does not hold yet means loading again.
  if (msg.type === 'snapshot') return msg.data && (msg.data.done !== run.done || msg.data.state !== run.state) ? RELOAD : run;
  if (msg.type === 'event' && msg.kind === 'result' && msg.result) return withResult(run, msg.result);
  if (msg.type === 'status' && msg.state !== 'deleted') {
    // Once it stops running, the server's final metrics.
    if (msg.state !== 'running') return RELOAD;
    return msg.state === run.state && (msg.error ?? null) === run.error ? run : { ...run, state: msg.state, error: msg.error ?? null };
  }
  return run;
}

/**
 * @param {import('../lib/live.js').LiveConnection} live
 * @param {string} id
 * @returns {{
 *   run: BatchRun | null,
 *   metrics: import('../../shared/batch-types.js').EndpointMetrics[],
 *   measured: boolean,
 *   error: import('../lib/api.js').ApiError | null,
 *   gone: import('../../shared/batch-types.js').BatchError | null,
 *   progress: Progress | null,
 *   spot: QueueSpot | null,
 *   reload: () => void,
 * }} measured: the metrics are the server's (false: worked out here from the results so far);
 *   gone: the run was deleted with its endpoint while open
 */
export function useBatchRun(live, id) {
  const [gone, setGone] = useState(/** @type {import('../../shared/batch-types.js').BatchError | null} */ (null));
  const [progress, setProgress] = useState(/** @type {Progress | null} */ (null));
  const [queued, setQueued] = useState(/** @type {QueueSpot | null} */ (null));
  useEffect(() => {
    setGone(null);
    setProgress(null);
    setQueued(null);
  }, [id]);

  const {
    data: run,
    patched,
    error,
    reload,
  } = useLiveResource(live, id, {
    load: (signal) => api(batchRunPath(id), { signal }),
    // The topic is in the run itself; subscribed once, it survives reconnects.
    topic: (loaded) => loaded?.topic ?? null,
    apply: applyBatchMessage,
    onMessage: (msg) => {
      if (msg.type === 'progress') setProgress({ done: msg.done, total: msg.total, eta_s: typeof msg.eta_s === 'number' ? msg.eta_s : null });
      if (msg.type !== 'status') return;
      if (msg.state === 'deleted') return void setGone(msg.error ?? { code: 'deleted', message: 'This run was deleted with its endpoint.' });
      setQueued(msg.state === 'queued' ? { position: msg.queue_position ?? null, eta_s: msg.eta_s ?? null } : null);
      if (msg.state !== 'running') setProgress(null);
    },
  });
  const measured = !patched;

  // While the run waits in the queue, its job's topic says where and for how long.
  const spot = useQueueSpot(live, run?.state === 'queued' ? run.job_id : null);
  const results = run?.results;
  const endpoints = run?.endpoints.length ?? 0;
  const counting = useLazy(batchMetricsModule, !measured).mod;
  const worked = useMemo(
    () => (results && !measured && counting ? counting.metricsByEndpoint(results, endpoints) : null),
    [results, endpoints, measured, counting],
  );

  return {
    run,
    // Until the module is here, the last metrics the server sent (the heading says "so far").
    metrics: worked ?? run?.metrics ?? [],
    measured,
    error,
    gone,
    progress,
    spot: spot ?? queued,
    reload,
  };
}
