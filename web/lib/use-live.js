// @ts-check
/** Preact hooks over a LiveConnection: its state, and the job queue's counts. */
import { useEffect, useState } from 'preact/hooks';

/** @typedef {import('./live.js').LiveConnection} LiveConnection */
/** @typedef {import('./live.js').LiveMessage} LiveMessage */
/** @typedef {{ running: number, queued: number }} QueueCounts */

/** @param {LiveConnection} live */
export function useLiveState(live) {
  const [state, setState] = useState(live.state);
  useEffect(() => {
    setState(live.state);
    return live.onState(setState);
  }, [live]);
  return state;
}

/**
 * The counts from any message on the queue topic: the snapshot carries them in `data`, later
 * status messages at the top level.
 * @param {LiveMessage} msg
 * @returns {QueueCounts | null}
 */
export function queueCounts(msg) {
  for (const src of [msg, msg.data]) {
    if (src && typeof src.running === 'number' && typeof src.queued === 'number') return { running: src.running, queued: src.queued };
  }
  return null;
}

/** @param {LiveConnection} live @returns {QueueCounts | null} null until the first snapshot */
export function useQueue(live) {
  const [counts, setCounts] = useState(/** @type {QueueCounts | null} */ (null));
  useEffect(
    () =>
      live.subscribe('queue', (msg) => {
        const next = queueCounts(msg);
        if (next) setCounts(next);
      }),
    [live],
  );
  return counts;
}
