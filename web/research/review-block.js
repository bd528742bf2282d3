// @ts-check
/** One review of a hypothesis: the three scores with their reasons, the safety flag, and references marked unverified. */
import { html } from '../lib/html.js';

/** @typedef {import('../../shared/research-types.js').Review} Review */

/** @param {{ review: Review }} props */
export function ReviewBlock({ review: r }) {
  const scores = /** @type {const} */ ([
    ['Novelty', r.novelty],
    ['Feasibility', r.feasibility],
    ['Testability', r.testability],
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
      html`<details class="refs">
      <summary>Suggested references (${r.references.length}) <span class="unverified">unverified</span></summary>
      <p class="field-note">The model suggested these and nobody checked them: they may be wrong or may not exist. Verify before citing.</p>
      <ul>
        ${r.references.map((ref) => html`<li>${ref.citation}${ref.relevance && html` <span class="muted">· ${ref.relevance}</span>`}</li>`)}
      </ul>
    </details>`
    }
  </section>`;
}
