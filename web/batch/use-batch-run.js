// @ts-check
/**
 * One batch run, kept current. The whole run (prompts, results, the server's metrics) comes from
 * GET batch/runs/:id, which also names its live topic, known to the owner only. On that topic each
 * result is put in its place as it lands (a retried prompt's new result replaces the old one),
 * progress messages carry the count and the time left, and each status change loads the run again,
 * so the metrics shown at the end are the server's. Between two loads the page works them out
 * (shared/batch-metrics.js, the server's own code, fetched the first time a run is seen live: a finished run never needs it).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { batchRunPath } from './format.js';
import { useLazy } from '../lib/lazy.js';

/** @typedef {import('./types.js').BatchRun} BatchRun */
/** @typedef {import('./types.js').BatchResult} BatchResult */
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
 * @param {import('../lib/live.js').LiveConnection} live
 * @param {string} id
 * @returns {{
 *   run: BatchRun | null,
 *   metrics: import('./types.js').EndpointMetrics[],
 *   measured: boolean,
 *   error: import('../lib/api.js').ApiError | null,
 *   gone: import('./types.js').BatchError | null,
 *   progress: Progress | null,
 *   spot: QueueSpot | null,
 *   reload: () => void,
 * }} measured: the metrics are the server's (false: worked out here from the results so far);
 *   gone: the run was deleted with its endpoint while open
 */
export function useBatchRun(live, id) {
  const [run, setRun] = useState(/** @type {BatchRun | null} */ (null));
  const [measured, setMeasured] = useState(true);
  const [error, setError] = useState(/** @type {import('../lib/api.js').ApiError | null} */ (null));
  const [gone, setGone] = useState(/** @type {import('./types.js').BatchError | null} */ (null));
  const [progress, setProgress] = useState(/** @type {Progress | null} */ (null));
  const [spot, setSpot] = useState(/** @type {QueueSpot | null} */ (null));
  const loadRef = useRef(() => {});

  useEffect(() => {
    setRun(null);
    setError(null);
    setGone(null);
    setProgress(null);
    const closed = new AbortController();
    /** The run on show, kept here too so that live messages can be applied in order. */
    let shown = /** @type {BatchRun | null} */ (null);
    /** The latest load; a newer one replaces it. */
    let loading = /** @type {AbortController | null} */ (null);
    /** Results that arrived while that load was on its way: its answer may predate them. */
    let arrived = /** @type {BatchResult[]} */ ([]);
    let subscribed = false;
    let unsubscribe = () => {};

    /** @param {BatchRun} next @param {boolean} fromServer its metrics are the server's */
    const show = (next, fromServer) => {
      shown = next;
      setRun(next);
      setMeasured(fromServer);
    };

    /** @param {import('../lib/live.js').LiveMessage} msg */
    const onMessage = (msg) => {
      if (msg.type === 'snapshot') {
        // Only a summary: anything the load did not hold yet means loading again.
        if (shown && msg.data && (msg.data.done !== shown.done || msg.data.state !== shown.state)) load();
      } else if (msg.type === 'event' && msg.kind === 'result' && msg.result) {
        if (loading) arrived.push(msg.result);
        if (shown) show(withResult(shown, msg.result), false);
      } else if (msg.type === 'progress') {
        setProgress({ done: msg.done, total: msg.total, eta_s: typeof msg.eta_s === 'number' ? msg.eta_s : null });
      } else if (msg.type === 'status') {
        if (msg.state === 'deleted') {
          setGone(msg.error ?? { code: 'deleted', message: 'This run was deleted with its endpoint.' });
          return;
        }
        if (shown) show({ ...shown, state: msg.state, error: msg.error ?? null }, false);
        setSpot(msg.state === 'queued' ? { position: msg.queue_position ?? null, eta_s: msg.eta_s ?? null } : null);
        if (msg.state !== 'running') {
          setProgress(null);
          load();
        }
      }
    };

    const load = async () => {
      loading?.abort();
      const mine = new AbortController();
      loading = mine;
      arrived = [];
      try {
        /** @type {BatchRun} */
        const fetched = await api(batchRunPath(id), { signal: AbortSignal.any([closed.signal, mine.signal]) });
        show(arrived.reduce(withResult, fetched), arrived.length === 0);
        setError(null);
        // The topic is in the run itself; subscribed once, it survives reconnects.
        if (!subscribed && !closed.signal.aborted) {
          subscribed = true;
          unsubscribe = live.subscribe(fetched.topic, onMessage);
        }
      } catch (err) {
        if (!mine.signal.aborted && !closed.signal.aborted) setError(/** @type {any} */ (err));
      } finally {
        if (loading === mine) loading = null;
      }
    };
    loadRef.current = load;
    load();
    return () => {
      closed.abort();
      unsubscribe();
    };
  }, [live, id]);

  // While the run waits in the queue, its job's topic says where and for how long.
  const waiting = run?.state === 'queued' ? run.job_id : null;
  useEffect(() => {
    if (!waiting) return undefined;
    return live.subscribe(`job:${waiting}`, (msg) => {
      const job = msg.type === 'snapshot' ? msg.data : msg;
      if (job && typeof job.queue_position !== 'undefined') setSpot({ position: job.queue_position ?? null, eta_s: job.eta_s ?? null });
    });
  }, [live, waiting]);

  const results = run?.results;
  const endpoints = run?.endpoints.length ?? 0;
  const counting = useLazy(() => import('../../shared/batch-metrics.js'), !measured).mod;
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
    spot,
    reload: useCallback(() => loadRef.current(), []),
  };
}
