// @ts-check
/**
 * One research run, kept current. It is loaded from GET /api/research/runs/:id and loaded again
 * (at most every 300 ms) whenever its live topic says something changed: one source of truth, and
 * `owner` is only in that answer. The running step's done/total and the queue position come
 * straight from the live topics, since the run itself does not store them.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { runPath } from './format.js';

/** @typedef {import('./types.js').Run} Run */
/** @typedef {{ done: number, total: number, message: string | null }} StepProgress */
/** @typedef {{ position: number | null, eta_s: number | null }} QueueSpot */

const THROTTLE_MS = 300;

/**
 * @param {import('../lib/live.js').LiveConnection} live
 * @param {string} id
 * @returns {{
 *   run: Run | null,
 *   error: import('../lib/api.js').ApiError | null,
 *   progress: Record<string, StepProgress>,
 *   spot: QueueSpot | null,
 *   reload: () => void,
 *   replace: (run: Run) => void,
 * }}
 */
export function useRun(live, id) {
  const [run, setRun] = useState(/** @type {Run | null} */ (null));
  const [error, setError] = useState(/** @type {import('../lib/api.js').ApiError | null} */ (null));
  const [progress, setProgress] = useState(/** @type {Record<string, StepProgress>} */ ({}));
  const [spot, setSpot] = useState(/** @type {QueueSpot | null} */ (null));
  const schedule = useRef(() => {});

  useEffect(() => {
    setRun(null);
    setError(null);
    setProgress({});
    const controller = new AbortController();
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    let last = 0;
    let inFlight = false;
    let again = false;
    /** Cycles the run had at its last status: a new one starts its progress afresh. */
    let cycles = /** @type {number | null} */ (null);
    let step = '';

    const load = async () => {
      timer = undefined;
      // One request at a time; a change seen meanwhile loads once more afterwards.
      if (inFlight) return void (again = true);
      inFlight = true;
      last = Date.now();
      try {
        const r = await api(runPath(id), { signal: controller.signal });
        if (controller.signal.aborted) return;
        setRun(r);
        setError(null);
      } catch (err) {
        if (!controller.signal.aborted) setError(/** @type {any} */ (err));
      } finally {
        inFlight = false;
        if (again) {
          again = false;
          later();
        }
      }
    };
    const later = () => {
      if (timer !== undefined || controller.signal.aborted) return;
      timer = setTimeout(load, Math.max(0, last + THROTTLE_MS - Date.now()));
    };
    schedule.current = later;

    // Subscribed before the first load, so no change falls between the two.
    const off = live.subscribe(`research:${id}`, (msg) => {
      if (msg.type === 'progress' && typeof msg.step === 'string') {
        const { step: s, done, total } = msg;
        setProgress((p) => ({ ...p, [s]: { done, total, message: msg.message ?? p[s]?.message ?? null } }));
        // A new step shows up in the run (cycle.step); ticks within one only move the bar.
        if (s !== step) later();
        step = s;
        return;
      }
      if (msg.type === 'status' && typeof msg.cycles === 'number' && msg.cycles !== cycles) {
        if (cycles !== null) setProgress({});
        cycles = msg.cycles;
      }
      if (msg.type === 'snapshot' || msg.type === 'event' || msg.type === 'status') later();
    });
    load();
    return () => {
      controller.abort();
      clearTimeout(timer);
      off();
    };
  }, [live, id]);

  // While the run waits in the queue, its job's topic says where and for how long.
  const waitingJob = run?.state === 'queued' ? run.job_id : null;
  useEffect(() => {
    setSpot(null);
    if (!waitingJob) return undefined;
    return live.subscribe(`job:${waitingJob}`, (msg) => {
      const src = msg.type === 'snapshot' ? msg.data : msg;
      if (src && 'queue_position' in src) setSpot({ position: src.queue_position ?? null, eta_s: src.eta_s ?? null });
    });
  }, [live, waitingJob]);

  return {
    run,
    error,
    progress,
    spot,
    reload: useCallback(() => schedule.current(), []),
    replace: useCallback((/** @type {Run} */ r) => setRun(r), []),
  };
}
