// @ts-check
/**
 * One resource the server owns (a research run, a batch run), kept current by its live topic.
 * It is loaded once over HTTP; then every message on the topic is applied to it in place
 * (`apply`: a new hypothesis, a match, a batch result, a snapshot), never a refetch per event.
 * Only a message that says "changed" without saying how (`apply` answers RELOAD: a new step, a
 * state change) loads it again, coalesced: one load at a time, at most one every 300 ms. Messages
 * that arrive while a load is on its way are applied again to its answer, which may predate them,
 * so `apply` must be idempotent (upsert by id).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** What `apply` answers for a message it cannot apply: load the resource again. */
export const RELOAD = Symbol('reload');
const THROTTLE_MS = 300;

/** @typedef {import('./live.js').LiveMessage} LiveMessage */

/**
 * @template R
 * @typedef {object} LiveResourceSpec
 * @property {(signal: AbortSignal) => Promise<R>} load GET the resource
 * @property {(loaded: R | null) => string | null} topic its live topic: known before the first load (subscribed at once, so no change falls between), or read from the resource (null: not yet)
 * @property {(current: R, msg: LiveMessage) => R | typeof RELOAD} apply the resource with the message applied (the same object: nothing changed)
 * @property {(msg: LiveMessage) => void} [onMessage] every message, for what lives beside the resource (progress, queue position)
 */

/**
 * @template R
 * @param {import('./live.js').LiveConnection} live
 * @param {string} id the resource; a new id starts afresh
 * @param {LiveResourceSpec<R>} spec
 * @returns {{
 *   data: R | null,
 *   patched: boolean,
 *   error: import('./api.js').ApiError | null,
 *   reload: () => void,
 *   replace: (data: R) => void,
 * }} patched: live messages were applied since the last load (false: exactly what the server sent)
 */
export function useLiveResource(live, id, spec) {
  const specRef = useRef(spec);
  specRef.current = spec;
  const [state, setState] = useState(
    /** @type {{ data: R | null, patched: boolean, error: import('./api.js').ApiError | null }} */ ({ data: null, patched: false, error: null }),
  );
  const control = useRef({ reload: () => {}, replace: (/** @type {R} */ _data) => {} });

  useEffect(() => {
    setState({ data: null, patched: false, error: null });
    const closed = new AbortController();
    /** The resource on show, kept here too so that messages are applied in order. */
    let shown = /** @type {R | null} */ (null);
    let loading = false;
    /** Messages that arrived while a load was on its way. */
    let arrived = /** @type {LiveMessage[]} */ ([]);
    let again = false;
    let last = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let timer;
    let unsubscribe = () => {};
    let subscribed = false;

    /** @param {R} data @param {boolean} patched */
    const show = (data, patched) => {
      shown = data;
      setState({ data, patched, error: null });
    };
    /** @param {LiveMessage} msg */
    const onMessage = (msg) => {
      specRef.current.onMessage?.(msg);
      if (loading) arrived.push(msg);
      if (shown === null) return;
      const next = specRef.current.apply(shown, msg);
      if (next === RELOAD) later();
      else if (next !== shown) show(next, true);
    };
    /** @param {string | null} topic */
    const subscribe = (topic) => {
      if (topic === null || subscribed || closed.signal.aborted) return;
      subscribed = true;
      unsubscribe = live.subscribe(topic, onMessage);
    };
    const load = async () => {
      timer = undefined;
      // One load at a time; a change seen meanwhile loads once more afterwards.
      if (loading) return void (again = true);
      loading = true;
      arrived = [];
      last = Date.now();
      try {
        const fetched = await specRef.current.load(closed.signal);
        if (closed.signal.aborted) return;
        let data = /** @type {R} */ (fetched);
        for (const msg of arrived) {
          const next = specRef.current.apply(data, msg);
          if (next === RELOAD) again = true;
          else data = next;
        }
        show(data, data !== fetched);
        subscribe(specRef.current.topic(fetched));
      } catch (err) {
        if (!closed.signal.aborted) setState((s) => ({ ...s, error: /** @type {any} */ (err) }));
      } finally {
        loading = false;
        if (again) {
          again = false;
          later();
        }
      }
    };
    const later = () => {
      if (timer !== undefined || closed.signal.aborted) return;
      timer = setTimeout(load, Math.max(0, last + THROTTLE_MS - Date.now()));
    };
    control.current = { reload: later, replace: (data) => show(data, false) };
    subscribe(specRef.current.topic(null));
    load();
    return () => {
      closed.abort();
      clearTimeout(timer);
      unsubscribe();
    };
  }, [live, id]);

  return {
    ...state,
    reload: useCallback(() => control.current.reload(), []),
    replace: useCallback((/** @type {R} */ data) => control.current.replace(data), []),
  };
}

/**
 * The queue position of a resource's job while it waits (its job topic says where and for how long).
 * @param {import('./live.js').LiveConnection} live
 * @param {string | null} jobId null: not waiting
 * @returns {{ position: number | null, eta_s: number | null } | null}
 */
export function useQueueSpot(live, jobId) {
  const [spot, setSpot] = useState(/** @type {{ position: number | null, eta_s: number | null } | null} */ (null));
  useEffect(() => {
    setSpot(null);
    if (!jobId) return undefined;
    return live.subscribe(`job:${jobId}`, (msg) => {
      const src = msg.type === 'snapshot' ? msg.data : msg;
      if (src && typeof src.queue_position !== 'undefined') setSpot({ position: src.queue_position ?? null, eta_s: src.eta_s ?? null });
    });
  }, [live, jobId]);
  return spot;
}
