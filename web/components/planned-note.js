// @ts-check
/** An honest marker for a feature that is designed but not in this release yet. */
import { html } from '../lib/html.js';

/** @param {{ children: any }} props */
export function PlannedNote({ children }) {
  return html`<p class="planned"><span class="planned-tag">Next release</span> <span>${children}</span></p>`;
}
