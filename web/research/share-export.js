// @ts-check
/** A run's link, which opens it read-only for anyone, with a Copy button; and its export as Markdown or JSON. */
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { exportHref, shareUrl } from './format.js';

/** @param {{ id: string }} props */
export function ShareExport({ id }) {
  const url = shareUrl(id);
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setSaid('Link copied.');
    } catch {
      // No clipboard here (an iframe, an old browser): leave the link selected to copy by hand.
      /** @type {HTMLInputElement | null} */ (document.getElementById('share-link'))?.select();
      setSaid('Copying is blocked here; the link is selected, copy it with Ctrl+C.');
    }
  };
  return html`<div class="run-share">
    <div class="share-field">
      <label for="share-link">Link to this run <span class="field-note">opens read-only for anyone</span></label>
      <div class="input-row">
        <input id="share-link" type="text" readonly value=${url} data-testid="share-link" onFocus=${(/** @type {Event} */ e) => /** @type {HTMLInputElement} */ (e.currentTarget).select()} />
        <button type="button" class="button" onClick=${copy}>Copy</button>
      </div>
      <p class="status-line" role="status">${said}</p>
    </div>
    <div class="run-export" role="group" aria-label="Export">
      <span class="field-note">Export</span>
      <a class="button" href=${exportHref(id, 'md')} download data-testid="export-md">Markdown</a>
      <a class="button" href=${exportHref(id, 'json')} download data-testid="export-json">JSON</a>
    </div>
  </div>`;
}
