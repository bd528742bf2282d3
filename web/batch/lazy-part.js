// @ts-check
/**
 * A part of the Batch tab fetched with import() only when it is wanted (the upload, the run's
 * answers, the chart, the chat…), so a first visit loads what it shows and nothing more.
 */
import { html } from '../lib/html.js';
import { useLazy } from '../lib/lazy.js';

/**
 * @template M
 * @param {{
 *   load: () => Promise<M>,
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
