// @ts-check
/** Modules fetched only when first wanted (import()), so the first page load stays small. */
import { useEffect, useState } from 'preact/hooks';

/**
 * @template T
 * @param {() => Promise<T>} load an arrow around import('…'); the browser loads each module once
 * @param {boolean} [wanted] false: not yet
 * @returns {{ mod: T | null, failed: boolean }}
 */
export function useLazy(load, wanted = true) {
  const [state, setState] = useState(/** @type {{ mod: T | null, failed: boolean }} */ ({ mod: null, failed: false }));
  useEffect(() => {
    if (!wanted || state.mod) return undefined;
    let alive = true;
    load().then(
      (mod) => alive && setState({ mod, failed: false }),
      () => alive && setState({ mod: null, failed: true }),
    );
    return () => {
      alive = false;
    };
  }, [wanted]);
  return state;
}
