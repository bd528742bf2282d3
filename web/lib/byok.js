// @ts-check
/**
 * The visitor's own OpenRouter key. It lives only in this browser's localStorage and goes out
 * only as an Authorization header on this origin's /api calls (see api.js).
 */
import { useEffect, useState } from 'preact/hooks';
import { KEYS, read, remove, write } from './storage.js';

/** @type {Set<(key: string | null) => void>} */
const listeners = new Set();

/** @returns {string | null} */
export function getKey() {
  return read(KEYS.byok);
}

/** @param {string} key */
export function saveKey(key) {
  write(KEYS.byok, key);
  notify();
}

export function removeKey() {
  remove(KEYS.byok);
  notify();
}

/** @param {(key: string | null) => void} fn @returns {() => void} */
export function onKeyChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function notify() {
  const key = getKey();
  for (const fn of listeners) fn(key);
}

// Another tab saved or removed the key: follow it, so both tabs send the same one.
window.addEventListener('storage', (e) => {
  if (e.key === KEYS.byok || e.key === null) notify();
});

/**
 * Why a pasted key cannot be right, or null. Loose on purpose: the provider is the judge of
 * validity; this only catches pasting the wrong thing.
 * @param {string} key
 * @returns {string | null}
 */
export function keyProblem(key) {
  if (key === '') return 'Paste a key first.';
  if (/\s/.test(key)) return 'A key has no spaces or line breaks. Check what was pasted.';
  if (key.length < 16) return 'That is too short to be an API key.';
  if (key.length > 256) return 'That is too long to be an API key.';
  return null;
}

/**
 * Enough of a key to recognise it, never enough to use it: "sk-or-…abcd".
 * @param {string} key
 */
export function maskKey(key) {
  const prefix = key.startsWith('sk-or-') ? 'sk-or-' : key.slice(0, 3);
  return `${prefix}…${key.slice(-4)}`;
}

/** @returns {string | null} the stored key, kept current across Settings and other tabs */
export function useStoredKey() {
  const [key, setKey] = useState(getKey);
  useEffect(() => onKeyChange(setKey), []);
  return key;
}
