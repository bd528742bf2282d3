// @ts-check
/**
 * A hypothesis as a card: title, statement, where it came from (generated, evolved by a strategy
 * from its parents, or the scientist's own), Elo and wins–losses, its reviews, and for the run's
 * owner between cycles, pin and drop.
 */
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { eloText, runPath, STRATEGY_LABELS } from './format.js';
import { useAction } from '../lib/use-action.js';
import { ReviewBlock } from './review-block.js';

/** @typedef {import('../../shared/research-types.js').Hypothesis} Hypothesis */

/** @param {Hypothesis} h @param {Map<string, string>} labels */
function origin(h, labels) {
  const from = h.parents.length ? ` from ${h.parents.map((p) => labels.get(p) ?? p).join(' + ')}` : '';
  if (h.origin === 'evolved') return `Evolved${h.strategy ? `, ${STRATEGY_LABELS[h.strategy] ?? h.strategy}` : ''}${from}`;
  if (h.origin === 'scientist') return 'Added by the scientist';
  return 'Generated';
}

/**
 * @param {{
 *   h: Hypothesis,
 *   labels: Map<string, string>,
 *   rank: number | null,
 *   runId: string,
 *   owner: boolean,
 *   canChange: boolean,
 *   onChanged: () => void,
 * }} props rank: place on the leaderboard (null: out of the tournament); canChange: no cycle is running
 */
export function HypothesisCard({ h, labels, rank, runId, owner, canChange, onChanged }) {
  const { pending, error, act } = useAction();
  /** @param {{ pinned?: boolean, dropped?: boolean }} change */
  const mark = (change) =>
    act(() => api(runPath(runId, `/hypotheses/${encodeURIComponent(h.id)}`), { method: 'PATCH', body: change })).then((r) => r && onChanged());
  const label = labels.get(h.id) ?? '';
  const out = h.dropped || h.duplicate_of !== null;

  return html`<article class="hyp-card" data-testid="hypothesis" data-id=${h.id} data-out=${out ? 'true' : undefined} aria-labelledby=${`hyp-${h.id}`}>
    <header class="hyp-head">
      <span class="hyp-label" aria-hidden="true">${label}</span>
      <h4 id=${`hyp-${h.id}`}><span class="sr-only">${label}: </span>${h.title}</h4>
      <span class="hyp-elo"><strong>${eloText(h.elo)}</strong> Elo<br /><span class="muted">W–L ${h.wins}–${h.losses}</span></span>
    </header>
    <ul class="hyp-tags">
      <li>${origin(h, labels)}</li>
      <li>cycle ${h.cycle + 1}</li>
      ${rank !== null && html`<li data-tag="rank">#${rank} on the leaderboard</li>`}
      ${!h.entered && !out && html`<li>enters the next tournament</li>`}
      ${h.pinned && html`<li data-tag="pinned">pinned</li>`}
      ${h.dropped && html`<li data-tag="dropped">dropped</li>`}
      ${h.duplicate_of && html`<li data-tag="dropped">near-copy of ${labels.get(h.duplicate_of) ?? h.duplicate_of}</li>`}
    </ul>
    <p class="hyp-statement">${h.statement}</p>
    <details class="hyp-more">
      <summary>Rationale and test</summary>
      <dl>
        <dt>Rationale</dt><dd>${h.rationale}</dd>
        <dt>How to test it</dt><dd>${h.test}</dd>
      </dl>
    </details>
    ${h.reviews.length ? h.reviews.map((r) => html`<${ReviewBlock} key=${r.id} review=${r} />`) : html`<p class="field-note">Not reviewed yet.</p>`}
    ${
      owner &&
      html`<div class="hyp-actions">
      <button type="button" class="button" aria-label=${`${h.pinned ? 'Unpin' : 'Pin'} ${label}`} disabled=${!canChange || pending} onClick=${() => mark({ pinned: !h.pinned })}>
        ${h.pinned ? 'Unpin' : 'Pin'}
      </button>
      <button type="button" class="button" data-tone=${h.dropped ? undefined : 'danger'} aria-label=${`${h.dropped ? 'Restore' : 'Drop'} ${label}`} disabled=${!canChange || pending} onClick=${() => mark({ dropped: !h.dropped })}>
        ${h.dropped ? 'Restore' : 'Drop'}
      </button>
      ${!canChange && html`<span class="field-note">Between cycles</span>`}
      ${error && html`<p class="field-error" role="alert">${error}</p>`}
    </div>`
    }
  </article>`;
}
