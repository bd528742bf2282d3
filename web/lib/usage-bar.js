// @ts-check
/**
 * A thin bar for how much of a limit is used, with what running calls hold drawn after it.
 * Decorative: the numbers beside it say the same. Widths go through the CSSOM (preact sets
 * style objects property by property), which the CSP allows; a style attribute would not be.
 */
import { html } from './html.js';
import { percent } from './format.js';

/**
 * @param {{ used: number, limit: number, held?: number, alertAt?: number }} props alertAt: the fraction from which it warns
 */
export function Bar({ used, limit, held = 0, alertAt = 0.8 }) {
  const tone = used + held >= limit ? 'full' : used >= limit * alertAt ? 'warn' : 'ok';
  return html`<span class="bar" data-tone=${tone} aria-hidden="true">
    <span class="bar-used" style=${{ width: `${percent(used, limit)}%` }}></span>
    ${held > 0 && html`<span class="bar-held" style=${{ width: `${percent(held, limit)}%` }}></span>`}
  </span>`;
}
