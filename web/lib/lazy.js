// @ts-check
/**
 * The page's one way to load code late: name a module once with lazy(() => import('…')), and
 * useLazy (or <LazyPart>, lazy-part.js) fetches it the first time it is wanted; then it renders at
 * once wherever it is wanted again. A failed fetch is tried again next time.
 */
import { useEffect, useState } from 'preact/hooks';

/**
 * @template T
 * @typedef {{ load: () => Promise<T>, mod: T | null, failed: boolean, pending: Promise<unknown> | null }} Lazy
 */

/**
 * @template T
 * @param {() => Promise<T>} load an arrow around import('…'); the browser loads each module once
 * @returns {Lazy<T>}
 */
export function lazy(load) {
  return { load, mod: null, failed: false, pending: null };
}

/** @template T @param {Lazy<T>} part @returns {Promise<unknown>} */
function fetchOnce(part) {
  if (!part.pending) {
    part.failed = false;
    part.pending = part.load().then(
      (mod) => {
        part.mod = mod;
      },
      () => {
        part.failed = true;
        part.pending = null;
      },
    );
  }
  return part.pending;
}

/**
 * @template T
 * @param {Lazy<T>} part
 * @param {boolean} [wanted] false: not yet
 * @returns {{ mod: T | null, failed: boolean }}
 */
export function useLazy(part, wanted = true) {
  const [, setLoads] = useState(0);
  useEffect(() => {
    if (!wanted || part.mod) return undefined;
    let alive = true;
    fetchOnce(part).then(() => alive && setLoads((n) => n + 1));
    return () => {
      alive = false;
    };
  }, [part, wanted]);
  return { mod: part.mod, failed: part.failed };
}
