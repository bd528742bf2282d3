// @ts-check
/**
 * The page's one way to load code late: a module is named once with lazy(() => import('…')) at
 * the top of the module that shows it, and fetched with import() the first time a component
 * wants it (useLazy, or <LazyPart> with its loading and failure text), so a first visit loads what
 * it shows and nothing more. Once here it renders at once wherever it is wanted again (no
 * "Loading…" flash when a tab opens a second time); a failed fetch is tried again next time.
 */
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';

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

/**
 * A part of a view that comes with useLazy: what to show once its module is here, a short text
 * meanwhile, and a warning if it could not be fetched.
 * @template M
 * @param {{
 *   load: Lazy<M>,
 *   show: (mod: M) => any,
 *   text?: string | null,
 * }} props show: what to render once the module is here; text: what to say meanwhile (null: nothing, for a small part that comes at once)
 */
export function LazyPart({ load, show, text = 'Loading…' }) {
  const { mod, failed } = useLazy(load);
  if (mod) return show(mod);
  if (failed)
    return html`<p class="callout" data-tone="warn" role="alert">This part of the page could not be loaded. Check your connection, then reload the page.</p>`;
  return text === null ? null : html`<p class="muted" aria-busy="true">${text}</p>`;
}
