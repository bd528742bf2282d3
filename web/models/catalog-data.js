// @ts-check
/** Loads the model catalog (GET /api/models, no key needed) and refreshes it on request. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../lib/api.js';

/** @typedef {import('./catalog-query.js').Catalog} Catalog */
/** @typedef {{ tone: 'ok' | 'warn' | 'error', text: string }} RefreshResult */

/**
 * @returns {{
 *   catalog: Catalog | null,
 *   receivedAt: number,
 *   loadError: ApiError | null,
 *   reload: () => void,
 *   refreshing: boolean,
 *   result: RefreshResult | null,
 *   refresh: () => Promise<void>,
 * }}
 */
export function useCatalog() {
  const [catalog, setCatalog] = useState(/** @type {Catalog | null} */ (null));
  // When the answer arrived: the age the server gave counts from here.
  const [receivedAt, setReceivedAt] = useState(0);
  const [loadError, setLoadError] = useState(/** @type {ApiError | null} */ (null));
  const [attempt, setAttempt] = useState(0);
  const [refreshing, setRefreshing] = useState(false);
  const [result, setResult] = useState(/** @type {RefreshResult | null} */ (null));
  const alive = useRef(/** @type {AbortController | null} */ (null));
  // The list on show, for telling what a refresh changed.
  const shown = useRef(/** @type {Catalog | null} */ (null));
  shown.current = catalog;

  useEffect(() => {
    const controller = new AbortController();
    setLoadError(null);
    api('models', { signal: controller.signal })
      .then((/** @type {Catalog} */ c) => {
        setCatalog(c);
        setReceivedAt(Date.now());
      })
      .catch((err) => {
        if (!controller.signal.aborted) setLoadError(toApiError(err));
      });
    return () => controller.abort();
  }, [attempt]);

  // A refresh still running when the tab closes must not set state afterwards.
  useEffect(() => {
    const controller = new AbortController();
    alive.current = controller;
    return () => controller.abort();
  }, []);

  const refresh = useCallback(async () => {
    const signal = alive.current?.signal;
    if (!signal) return;
    setRefreshing(true);
    setResult(null);
    try {
      /** @type {Catalog} */
      const c = await api('models/refresh', { method: 'POST', signal });
      if (signal.aborted) return;
      setResult(describe(shown.current, c));
      setCatalog(c);
      setReceivedAt(Date.now());
      setLoadError(null);
    } catch (err) {
      if (signal.aborted) return;
      const e = toApiError(err);
      const text =
        e.status === 404 ? 'Refreshing is not available on this server yet. The list below is still good to browse.' : `Could not refresh: ${e.message}`;
      setResult({ tone: 'error', text: e.status === 404 ? text : `${text} (${e.code})` });
    } finally {
      if (!signal.aborted) setRefreshing(false);
    }
  }, []);

  return { catalog, receivedAt, loadError, reload: useCallback(() => setAttempt((n) => n + 1), []), refreshing, result, refresh };
}

/**
 * What a refresh changed, in a sentence.
 * @param {Catalog | null} before
 * @param {Catalog} after
 * @returns {RefreshResult}
 */
function describe(before, after) {
  const n = after.models.length.toLocaleString('en-US');
  if (after.source === 'live' && before?.source === 'live' && before.fetched_at === after.fetched_at) {
    return { tone: 'ok', text: `Already up to date: the list is fetched again at most once a minute (${n} models).` };
  }
  if (after.source === 'live') return { tone: 'ok', text: `Updated: ${n} models, live from the provider.` };
  if (after.refresh_error) return { tone: 'warn', text: `The live list could not be fetched (${after.refresh_error}), so the shipped snapshot stays.` };
  return { tone: 'warn', text: 'No live list is available here, so the shipped snapshot stays.' };
}

/** @param {unknown} err */
function toApiError(err) {
  return err instanceof ApiError ? err : new ApiError(0, 'client_error', err instanceof Error ? err.message : String(err));
}
