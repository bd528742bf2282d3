// @ts-check
/** Hash routes: #/research, #/batch, #/models, #/usage, #/api, #/about, #/admin, and #/research/<run id>. */
import { useEffect, useState } from 'preact/hooks';

export const TABS = /** @type {const} */ (['research', 'batch', 'models', 'usage', 'api', 'about', 'admin']);
/** @typedef {typeof TABS[number]} TabId */
/** @typedef {{ tab: TabId, id: string | null }} Route */

/**
 * Anything unknown lands on Research, the front door, rather than on an error page.
 * @param {string} hash
 * @returns {Route}
 */
export function parseRoute(hash) {
  const [name = '', id = ''] = hash.replace(/^#\/?/, '').split('/');
  const tab = /** @type {TabId} */ (TABS.find((t) => t === name) ?? 'research');
  let decoded = null;
  try {
    decoded = tab === 'research' && id ? decodeURIComponent(id) : null;
  } catch {
    // a malformed escape in a hand-typed link: ignore the id
  }
  return { tab, id: decoded };
}

/** @param {string} tab one of TABS */
export function tabHref(tab) {
  return `#/${tab}`;
}

/** @returns {Route} the current route, following back/forward and typed links */
export function useRoute() {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
