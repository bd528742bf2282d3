// @ts-check
/** A tab's view, fetched the first time the tab opens (lib/lazy.js), so a first visit loads one view, not five. */
import { html } from '../lib/html.js';
import { useLazy } from '../lib/lazy.js';

/** @typedef {(props: import('./view-props.js').ViewProps) => any} ViewComponent */

/** @param {{ view: import('../lib/lazy.js').Lazy<ViewComponent>, props: import('./view-props.js').ViewProps }} p */
export function LazyView({ view, props }) {
  const { mod: View, failed } = useLazy(view);
  if (View) return html`<${View} ...${props} />`;
  if (failed) {
    return html`<p class="view" role="alert">
      This tab could not be loaded. Check your connection, then
      <button type="button" class="button" onClick=${() => window.location.reload()}>reload the page</button>.
    </p>`;
  }
  return html`<p class="view muted" aria-busy="true">Loading…</p>`;
}
