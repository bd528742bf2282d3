// @ts-check
/** Shown in place of a tab when the server's settings could not be loaded. */
import { html } from '../lib/html.js';

/** @param {{ error: import('../lib/api.js').ApiError, onRetry: () => void }} props */
export function LoadError({ error, onRetry }) {
  return html`<div class="view" role="alert">
    <h2>Labcoat could not load its settings</h2>
    <p>${error.message} <span class="muted">(${error.code})</span></p>
    <p><button type="button" class="button" data-tone="primary" onClick=${onRetry}>Try again</button></p>
  </div>`;
}
