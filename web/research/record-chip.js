// @ts-check
/**
 * A citation of one of the run's records: "[3]", its title on hover, and a press shows the record
 * in the Literature section (opening its list if it is folded). A button, not a #fragment link:
 * the page's routes live in the hash.
 */
import { html } from '../lib/html.js';
import { recordAnchor, titleYear } from './literature-format.js';

/** @typedef {import('../../shared/research-types.js').RunRecord} RunRecord */

/** @param {number} n scrolls record n into view and moves the focus to it */
export function showRecord(n) {
  const el = document.getElementById(recordAnchor(n));
  if (!el) return;
  const folded = el.closest('details');
  if (folded) folded.open = true;
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  el.scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'center' });
  el.focus({ preventScroll: true });
}

/** @param {{ n: number, record: RunRecord | null }} props record: null when the run's literature lacks it */
export function CiteChip({ n, record }) {
  const name = record ? titleYear(record) : `record ${n}`;
  return html`<button type="button" class="cite-chip" data-testid="cite-chip" data-n=${n} title=${name} aria-label=${`[${n}] ${name}: show in the literature`}
    onClick=${() => showRecord(n)}>[${n}]</button>`;
}
