// @ts-check
/** A part of a view loaded with lib/lazy.js, with its loading and failure text (kept apart so the page's frame does not load it). */
import { html } from './html.js';
import { useLazy } from './lazy.js';

/**
 * A part of a view that comes with useLazy: what to show once its module is here, a short text
 * meanwhile, and a warning if it could not be fetched.
 * @template M
 * @param {{
 *   load: import('./lazy.js').Lazy<M>,
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
