// @ts-check
/**
 * A leader's deep verification on its card: each assumption with its verdict (a mark and a word,
 * never colour alone), the reason, the records it cites, and what would sink the hypothesis.
 * Folded, its summary counting the verdicts.
 */
import { html } from '../lib/html.js';
import { recordOf } from './literature-format.js';
import { VERDICTS, verdictCounts } from './plan-format.js';
import { CiteChip } from './record-chip.js';

/** @typedef {import('./plan-format.js').DeepReview} DeepReview */

/** @param {{ review: DeepReview, literature: import('../../shared/research-types.js').RunLiterature | null }} props */
export function DeepReviewBlock({ review: d, literature }) {
  return html`<details class="deep-review" data-testid="deep-review">
    <summary>Deep verification (cycle ${d.cycle + 1}) <span class="field-note">${verdictCounts(d)}</span></summary>
    <ol class="deep-list">
      ${d.assumptions.map(
        (a, i) => html`<li key=${i} data-testid="deep-assumption" data-verdict=${a.verdict}>
          <p><span class="ref-badge verdict" data-verdict=${a.verdict}><span aria-hidden="true">${VERDICTS[a.verdict].mark}</span> ${VERDICTS[a.verdict].text}</span> ${a.assumption}</p>
          <p class="deep-reason">${a.reason}${a.evidence.map((n) => html` <${CiteChip} key=${n} n=${n} record=${recordOf(literature, n)} />`)}</p>
        </li>`,
      )}
    </ol>
    <p data-testid="deep-sink"><strong>Would sink it:</strong> ${d.sink}</p>
  </details>`;
}
