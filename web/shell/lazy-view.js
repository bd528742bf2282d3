// @ts-check
/** A tab's view, fetched the first time the tab opens (import()), so a first visit loads one view, not five. */
import { useEffect, useState } from 'preact/hooks';
import { html } from '../lib/html.js';

/** @typedef {(props: import('./view-props.js').ViewProps) => any} ViewComponent */

/** Views already loaded, by tab id (the browser caches the modules; this keeps the components). */
const loaded = /** @type {Map<string, ViewComponent>} */ (new Map());

/** @param {{ id: string, load: () => Promise<ViewComponent>, props: import('./view-props.js').ViewProps }} p */
export function LazyView({ id, load, props }) {
  const [, setLoadedCount] = useState(0);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (loaded.has(id)) return undefined;
    let alive = true;
    setFailed(false);
    load().then(
      (view) => {
        loaded.set(id, view);
        if (alive) setLoadedCount((n) => n + 1);
      },
      () => alive && setFailed(true),
    );
    return () => {
      alive = false;
    };
  }, [id]);
  const View = loaded.get(id);
  if (View) return html`<${View} ...${props} />`;
  if (failed) {
    return html`<p class="view" role="alert">
      This tab could not be loaded. Check your connection, then
      <button type="button" class="button" onClick=${() => window.location.reload()}>reload the page</button>.
    </p>`;
  }
  return html`<p class="view muted" aria-busy="true">Loading…</p>`;
}
