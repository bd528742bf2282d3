// @ts-check
/** One button's or form's call to the server: busy while it runs, then the server's message or a short "done". */
import { useCallback, useState } from 'preact/hooks';

/**
 * @returns {{
 *   pending: boolean,
 *   error: string | null,
 *   done: string,
 *   act: <T>(call: () => Promise<T>, doneText?: string) => Promise<T | undefined>,
 * }}
 */
export function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const [done, setDone] = useState('');
  const act = useCallback(
    /** @template T @param {() => Promise<T>} call @param {string} [doneText] @returns {Promise<T | undefined>} */
    async (call, doneText = '') => {
      setPending(true);
      setError(null);
      setDone('');
      try {
        const result = await call();
        setDone(doneText);
        return result;
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [],
  );
  return { pending, error, done, act };
}
