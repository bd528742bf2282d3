// @ts-check
/**
 * localStorage that never throws: private windows and sandboxed iframes (a Space is one) may
 * block it, and the page must still work, just without remembering anything.
 */

/** Every key Labcoat keeps in this browser, in one place. */
export const KEYS = Object.freeze({
  byok: 'labcoat.byok',
  theme: 'labcoat.theme',
  session: 'labcoat.session',
});

/** @type {Map<string, string>} Used when localStorage is unavailable, so a page view stays consistent. */
const memory = new Map();

/** @param {string} key @returns {string | null} */
export function read(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return memory.get(key) ?? null;
  }
}

/** @param {string} key @param {string} value */
export function write(key, value) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    memory.set(key, value);
  }
}

/** @param {string} key */
export function remove(key) {
  memory.delete(key);
  try {
    window.localStorage.removeItem(key);
  } catch {
    // nothing stored there to remove
  }
}
