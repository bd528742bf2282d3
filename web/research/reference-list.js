// @ts-check
/**
 * References a model named (in a review, a debate turn, the overview), each with the badge of
 * what the check found: verified (linked to the record), not found, unverifiable. A reference is
 * never shown without its badge.
 */
import { html } from '../lib/html.js';
import { referenceHint, safeUrl, sourceLabel, STATUS_LABELS, statusCounts, titleYear } from './literature-format.js';

/** @typedef {import('../../shared/research-types.js').CheckedReference} CheckedReference */

/** @type {Record<CheckedReference['status'], string>} a mark beside the words (never the only sign) */
const ICONS = { verified: '✓', not_found: '✗', unverifiable: '?' };

/** @param {{ status: CheckedReference['status'] }} props */
const BadgeText = ({ status }) => html`<span class="ref-icon" aria-hidden="true">${ICONS[status] ?? '?'}</span>${STATUS_LABELS[status] ?? status}`;

/**
 * A reference's status; a verified one links to its record.
 * @param {{ reference: CheckedReference }} props
 */
export function ReferenceBadge({ reference: ref }) {
  const url = ref.status === 'verified' ? safeUrl(ref.record?.url) : null;
  const hint = referenceHint(ref);
  if (url) {
    return html`<a class="ref-badge" data-status=${ref.status} data-testid="ref-badge" href=${url} target="_blank" rel="noopener noreferrer" title=${hint}>
      <${BadgeText} status=${ref.status} /><span class="sr-only">: open the record</span>
    </a>`;
  }
  return html`<span class="ref-badge" data-status=${ref.status} data-testid="ref-badge" title=${hint}><${BadgeText} status=${ref.status} /></span>`;
}

/**
 * @param {{ references: CheckedReference[], label?: string }} props label: the list's accessible name
 */
export function ReferenceList({ references, label }) {
  return html`<ul class="ref-list" aria-label=${label}>
    ${references.map(
      (ref, i) => html`<li key=${i} class="ref" data-status=${ref.status} data-testid="reference">
        <${ReferenceBadge} reference=${ref} />${' '}
        <span class="ref-citation">${ref.citation}</span>
        ${ref.relevance && html`<span class="muted"> · ${ref.relevance}</span>`}
        ${
          ref.record &&
          html` <span class="ref-record">${ref.status === 'verified' ? 'Record: ' : 'Its identifier leads to another work: '}${titleYear(ref.record)}, ${sourceLabel(ref.record.source)}</span>`
        }
      </li>`,
    )}
  </ul>`;
}

/**
 * "3 references: 1 not found · 1 unverifiable · 1 verified", for a summary line.
 * @param {{ references: CheckedReference[] }} props
 */
export function ReferenceCounts({ references }) {
  return html`<span class="ref-counts">
    ${statusCounts(references).map(({ status, count }) => html` <span key=${status} class="ref-count" data-status=${status}>${count} ${STATUS_LABELS[status]}</span>`)}
  </span>`;
}
