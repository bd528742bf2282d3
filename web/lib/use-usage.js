// @ts-check
/**
 * The visitor's usage and the Space's (GET /api/usage): loaded at start, every minute, after the
 * visitor's own model calls (refresh), and again when their key changes who pays. Today's global
 * spend also follows the live "usage" topic, so every visitor sees the cap move as it moves.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { api } from './api.js';

/**
 * @typedef {object} GlobalUsage today (UTC) on the Space's key
 * @property {string} day
 * @property {number} spent_usd_today
 * @property {number} reserved_usd held for calls still running
 * @property {number} cap_usd
 * @property {number} remaining_usd
 * @property {string} resets_at next UTC midnight
 * @property {boolean} alert
 * @property {number} alert_at_fraction
 */
/**
 * @typedef {object} Usage
 * @property {'server' | 'byok' | 'none'} key_mode
 * @property {{ cycles_used: number, cycles_limit: number, requests_used: number, requests_limit: number, spent_usd: number }} session
 * @property {{ requests_this_hour: number, requests_per_hour: number, resets_at: string | null }} ip
 * @property {GlobalUsage} global
 * @property {{ credit: { limit_usd: number | null, usage_usd: number | null, remaining_usd: number | null, is_free_tier: boolean | null } | null } | null} byok
 */

const POLL_MS = 60_000;

/** @param {any} g @returns {g is GlobalUsage} */
const isGlobal = (g) => typeof g?.cap_usd === 'number' && typeof g?.spent_usd_today === 'number';

/**
 * @param {import('./live.js').LiveConnection} live
 * @param {string | null} storedKey
 * @returns {{ usage: Usage | null, error: import('./api.js').ApiError | null, refresh: () => void }}
 */
export function useUsage(live, storedKey) {
  const [loaded, setLoaded] = useState(/** @type {Usage | null} */ (null));
  const [global, setGlobal] = useState(/** @type {GlobalUsage | null} */ (null));
  const [error, setError] = useState(/** @type {import('./api.js').ApiError | null} */ (null));
  const [attempt, setAttempt] = useState(0);

  // Each load schedules the next, so a refresh also restarts the minute rather than adding a poll.
  useEffect(() => {
    const controller = new AbortController();
    api('usage', { signal: controller.signal })
      .then((/** @type {Usage} */ u) => {
        setLoaded(u);
        setGlobal(u.global);
        setError(null);
      })
      .catch((err) => {
        // The last numbers stay on show; the next round tries again.
        if (!controller.signal.aborted) setError(err);
      });
    const timer = setTimeout(() => setAttempt((n) => n + 1), POLL_MS);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [attempt, storedKey]);

  useEffect(
    () =>
      live.subscribe('usage', (msg) => {
        const g = msg.type === 'snapshot' ? msg.data : msg.global;
        if (isGlobal(g)) setGlobal(g);
      }),
    [live],
  );

  const usage = useMemo(() => (loaded && global ? { ...loaded, global } : loaded), [loaded, global]);
  return { usage, error, refresh: useCallback(() => setAttempt((n) => n + 1), []) };
}

/**
 * Model requests the visitor has left on the Space's key, by whichever quota runs out first.
 * @param {Usage} u
 * @returns {{ left: number, per: 'session' | 'hour' }}
 */
export function requestsLeft(u) {
  const session = Math.max(0, u.session.requests_limit - u.session.requests_used);
  const hour = Math.max(0, u.ip.requests_per_hour - u.ip.requests_this_hour);
  return session <= hour ? { left: session, per: 'session' } : { left: hour, per: 'hour' };
}
