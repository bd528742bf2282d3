// @ts-check
/** What each cycle's meta-review found (strengths, weaknesses) and the advice it passed to the next cycle, newest first. */
import { html } from '../lib/html.js';

/** @param {{ reviews: import('../../shared/research-types.js').MetaReview[] }} props */
export function MetaReviewList({ reviews }) {
  return html`<section class="card" aria-labelledby="meta-title" data-testid="meta-reviews">
    <h3 id="meta-title">Meta-reviews</h3>
    ${reviews.length === 0 && html`<p class="muted">At the end of each cycle, a meta-review sums up what the reviews and debates keep saying.</p>`}
    ${[...reviews].reverse().map(
      (m) => html`<article class="meta-review" key=${m.cycle} data-testid="meta-review">
        <h4>Cycle ${m.cycle + 1}</h4>
        <div class="meta-cols">
          <div><h5>Strengths</h5><ul>${m.strengths.map((s) => html`<li>${s}</li>`)}</ul></div>
          <div><h5>Weaknesses</h5><ul>${m.weaknesses.map((s) => html`<li>${s}</li>`)}</ul></div>
        </div>
        <p><strong>Advice for the next cycle:</strong> ${m.advice}</p>
      </article>`,
    )}
  </section>`;
}
