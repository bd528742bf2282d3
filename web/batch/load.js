// @ts-check
/** One GET of the batch API, kept in state: what it answered, or its error, and a way to ask again. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';

/**
 * @template T
 * @param {string | null} path below /api, e.g. "batch/runs"; null: nothing to load (yet)
 * @returns {{ data: T | null, error: string | null, reload: () => void }}
 */
export function useGet(path) {
  const [state, setState] = useState(/** @type {{ data: T | null, error: string | null }} */ ({ data: null, error: null }));
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (path === null) return undefined;
    const controller = new AbortController();
    api(path, { signal: controller.signal }).then(
      (data) => setState({ data, error: null }),
      (err) => controller.signal.aborted || setState((s) => ({ data: s.data, error: err.message })),
    );
    return () => controller.abort();
  }, [path, attempt]);
  return { ...state, reload: useCallback(() => setAttempt((n) => n + 1), []) };
}

/**
 * A POST asked again whenever its body changes, once typing has paused (typing "12" asks for 12,
 * not for 1 and then 12); an answer to an older body is dropped. Nothing is asked while `body` is null.
 * @template T
 * @param {string} path below /api
 * @param {unknown} body null: nothing to ask
 * @param {number} [waitMs]
 * @returns {{ data: T | null, error: string | null, pending: boolean }}
 */
export function useDebouncedPost(path, body, waitMs = 300) {
  const [state, setState] = useState(/** @type {{ data: T | null, error: string | null, pending: boolean }} */ ({ data: null, error: null, pending: false }));
  const key = body === null ? null : JSON.stringify(body);
  useEffect(() => {
    if (key === null) return void setState({ data: null, error: null, pending: false });
    const stale = new AbortController();
    setState((s) => ({ ...s, error: null, pending: true }));
    const timer = setTimeout(
      () =>
        api(path, { body, signal: stale.signal }).then(
          (data) => setState({ data, error: null, pending: false }),
          (err) => stale.signal.aborted || setState({ data: null, error: err.message, pending: false }),
        ),
      waitMs,
    );
    return () => {
      clearTimeout(timer);
      stale.abort();
    };
  }, [path, key]);
  return state;
}
