// @ts-check
/** One review of a hypothesis: its scores with their reasons (plausibility where the review gave one), the safety flag, and the references it suggests, each with what the check found. */
import { html } from '../lib/html.js';
import { ReferenceCounts, ReferenceList } from './reference-list.js';

/** @typedef {import('../../shared/research-types.js').Review} Review */

/** @param {{ review: Review }} props */
export function ReviewBlock({ review: r }) {
  const scores = /** @type {const} */ ([
    ['Novelty', r.novelty],
    ['Feasibility', r.feasibility],
    ['Testability', r.testability],
    ...(r.plausibility ? /** @type {const} */ ([['Plausibility', r.plausibility]]) : []),
  ]);
  return html`<section class="review" data-by=${r.by} data-testid="review">
    <p class="review-head"><strong>${r.by === 'scientist' ? 'Scientist’s review' : 'Model review'}</strong> · cycle ${r.cycle + 1}</p>
    <p class="review-summary">${r.summary}</p>
    <dl class="scores">
      ${scores.map(
        ([name, s]) => html`<div class="score" key=${name}>
          <dt>${name} <span class="score-value" data-score=${s.score}>${s.score}<span class="score-of">/5</span></span></dt>
          <dd>${s.reason}</dd>
        </div>`,
      )}
    </dl>
    ${
      r.safety.flag
        ? html`<p class="callout safety" data-tone="warn" data-testid="safety-flag"><strong>Safety concern:</strong> ${r.safety.note || 'flagged without a note.'}</p>`
        : html`<p class="field-note">No safety concern flagged.</p>`
    }
    ${
      r.references.length > 0 &&
      html`<details class="refs" data-testid="review-references">
      <summary>References (${r.references.length}) <${ReferenceCounts} references=${r.references} /></summary>
      <${ReferenceList} references=${r.references} label="References the review suggests" />
    </details>`
    }
  </section>`;
}
