// @ts-check
/**
 * Light and dark themes. The visitor's choice (system, light or dark) is kept in localStorage;
 * <html data-theme> always holds the theme in effect, so the CSS needs only one rule per theme.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { KEYS, read, remove, write } from '../lib/storage.js';

/** @typedef {'system' | 'light' | 'dark'} ThemeChoice */
/** @typedef {'light' | 'dark'} Theme */

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

/** @returns {ThemeChoice} */
export function storedChoice() {
  const value = read(KEYS.theme);
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** @returns {Theme} */
function systemTheme() {
  return darkQuery.matches ? 'dark' : 'light';
}

/** @param {ThemeChoice} choice @returns {Theme} */
export function resolveTheme(choice) {
  return choice === 'system' ? systemTheme() : choice;
}

/**
 * The next choice on each click. From "system" it goes to the opposite theme first, so the
 * first click always changes what the visitor sees; then the other theme, then back to system.
 * @param {ThemeChoice} choice
 * @param {Theme} system
 * @returns {ThemeChoice}
 */
export function nextChoice(choice, system) {
  const opposite = system === 'dark' ? 'light' : 'dark';
  if (choice === 'system') return opposite;
  return choice === opposite ? system : 'system';
}

/** @param {ThemeChoice} choice */
export function applyTheme(choice) {
  document.documentElement.dataset.theme = resolveTheme(choice);
}

/** @param {ThemeChoice} choice */
function remember(choice) {
  if (choice === 'system') remove(KEYS.theme);
  else write(KEYS.theme, choice);
}

/** @returns {{ choice: ThemeChoice, theme: Theme, cycle: () => void }} */
export function useTheme() {
  const [choice, setChoice] = useState(storedChoice);
  const [, setSystem] = useState(systemTheme);
  const current = useRef(choice);

  // Following the system means following it live, e.g. when the OS switches at sunset.
  useEffect(() => {
    const onChange = () => {
      setSystem(systemTheme());
      applyTheme(current.current);
    };
    darkQuery.addEventListener('change', onChange);
    return () => darkQuery.removeEventListener('change', onChange);
  }, []);

  // Applied in the click itself, not after the next render, so the page never lags the button.
  const cycle = () => {
    const next = nextChoice(current.current, systemTheme());
    current.current = next;
    remember(next);
    applyTheme(next);
    setChoice(next);
  };

  return { choice, theme: resolveTheme(choice), cycle };
}
