// @ts-check
/**
 * A hypothesis as a card: title, statement, where it came from (generated, evolved by a strategy
 * from its parents, or the scientist's own), Elo and wins–losses, the records it cites and the
 * quotes that back it (and how many quotes were dropped), its assumptions, predictions and what
 * would refute it, the closest prior work (flagged when it may already be published), its deep
 * verification (a leader's), its reviews, and for the run's owner between cycles, pin and drop. A hypothesis a review flagged for
 * safety says it is held (out of the tournament) and why, and the owner may clear the flag after
 * confirming; one the screen declined says why.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { heldForSafety } from '../../shared/ranking.js';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { eloText, preregHref, runPath, STRATEGY_LABELS } from './format.js';
import { matchesText, safetyNotes, uncertaintyText } from './rating-format.js';
import { useAction } from '../lib/use-action.js';
import { droppedText, recordOf, similarityText } from './literature-format.js';
import { CiteChip } from './record-chip.js';
import { DeepReviewBlock } from './deep-review.js';
import { ReviewBlock } from './review-block.js';

/** @typedef {import('../../shared/research-types.js').Hypothesis} Hypothesis */
/** @typedef {import('../../shared/research-types.js').RunLiterature} RunLiterature */

/** Prior work shown per card, most similar first. */
const PRIOR_SHOWN = 3;

/** @param {{ items: string[] }} props */
const Items = ({ items }) => (items.length === 1 ? items[0] : html`<ul>${items.map((x, i) => html`<li key=${i}>${x}</li>`)}</ul>`);

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
 *   literature: RunLiterature | null,
 * }} props rank: place on the leaderboard (null: out of the tournament); canChange: no cycle is running
 */
export function HypothesisCard({ h, labels, rank, runId, owner, canChange, onChanged, literature }) {
  const { pending, error, act } = useAction();
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef(/** @type {HTMLButtonElement | null} */ (null));
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  /** @param {{ pinned?: boolean, dropped?: boolean, safety_cleared?: boolean }} change */
  const mark = (change) =>
    act(() => api(runPath(runId, `/hypotheses/${encodeURIComponent(h.id)}`), { method: 'PATCH', body: change })).then((r) => {
      if (!r) return;
      setConfirming(false);
      onChanged();
    });
  const label = labels.get(h.id) ?? '';
  const refused = h.refused !== null;
  const held = !refused && heldForSafety(h);
  const cleared = h.safety_cleared && h.reviews.some((r) => r.safety.flag);
  // Out of the tournament: dropped or a near-copy (faded), or held for safety or declined (kept legible: it says why).
  const out = h.dropped || h.duplicate_of !== null ? 'true' : held || refused ? 'held' : undefined;
  const played = h.wins + h.losses;
  const record = (/** @type {number} */ n) => recordOf(literature, n);
  const closest = h.prior_work.slice(0, PRIOR_SHOWN);

  return html`<article class="hyp-card" data-testid="hypothesis" data-id=${h.id} data-out=${out} aria-labelledby=${`hyp-${h.id}`}>
    <header class="hyp-head">
      <span class="hyp-label" aria-hidden="true">${label}</span>
      <h4 id=${`hyp-${h.id}`}><span class="sr-only">${label}: </span>${h.title}</h4>
      <span class="hyp-elo" data-testid="hyp-elo"><strong>${eloText(h.elo)}</strong> ${played ? `${uncertaintyText(played)} Elo` : 'Elo (unrated)'}<br /><span class="muted">W–L ${h.wins}–${h.losses} · ${matchesText(h)}</span></span>
    </header>
    <ul class="hyp-tags">
      <li>${origin(h, labels)}</li>
      <li>cycle ${h.cycle + 1}</li>
      ${rank !== null && html`<li data-tag="rank">#${rank} on the leaderboard</li>`}
      ${!h.entered && !out && html`<li>enters the next tournament</li>`}
      ${h.pinned && html`<li data-tag="pinned">pinned</li>`}
      ${h.dropped && html`<li data-tag="dropped">dropped</li>`}
      ${h.duplicate_of && html`<li data-tag="dropped">near-copy of ${labels.get(h.duplicate_of) ?? h.duplicate_of}</li>`}
      ${held && html`<li data-tag="dropped">held for safety</li>`}
      ${refused && html`<li data-tag="dropped">declined by the screen</li>`}
      ${
        h.may_be_published &&
        html`<li data-tag="published" data-testid="may-be-published" title="Its closest record is nearly identical: check it before calling this new.">
          <span aria-hidden="true">⚠ </span>may be published
        </li>`
      }
    </ul>
    ${rank !== null && html`<p class="hyp-prereg"><a href=${preregHref(runId, h.id)} download data-testid="prereg">Preregistration draft (Markdown)</a></p>`}
    ${refused && html`<p class="callout safety" data-tone="warn" data-testid="refused"><strong>Declined by the screen:</strong> ${h.refused}</p>`}
    ${
      held &&
      html`<div class="callout safety" data-tone="warn" data-testid="safety-held">
        <p><strong>Held for safety:</strong> ${safetyNotes(h)}</p>
        <p>It does not compete, evolve or enter the overview until the flag is cleared.</p>
        ${
          owner &&
          (confirming
            ? html`<p id=${`clear-${h.id}`}><strong>You take responsibility for ${label}:</strong> it competes and evolves again and may lead the overview.</p>
              <div class="hyp-actions">
                <button type="button" class="button" data-tone="danger" ref=${confirmRef} aria-describedby=${`clear-${h.id}`} disabled=${!canChange || pending}
                  onClick=${() => mark({ safety_cleared: true })}>Yes, clear the flag</button>
                <button type="button" class="button" onClick=${() => setConfirming(false)}>Keep it held</button>
              </div>`
            : html`<div class="hyp-actions">
                <button type="button" class="button" aria-label=${`Clear the flag on ${label}`} disabled=${!canChange || pending} onClick=${() => setConfirming(true)}>Clear the flag</button>
                ${!canChange && html`<span class="field-note">Between cycles</span>`}
              </div>`)
        }
      </div>`
    }
    ${
      cleared &&
      html`<p class="field-note" data-testid="safety-cleared"><span aria-hidden="true">✓ </span>Safety flag cleared by ${owner ? 'you' : 'the run’s owner'}</p>`
    }
    <p class="hyp-statement">${h.statement}</p>
    ${
      h.citations.length > 0 &&
      html`<p class="hyp-cites" data-testid="citations"><span class="field-note">Cites</span> ${h.citations.map((n) => html`<${CiteChip} key=${n} n=${n} record=${record(n)} />`)}</p>`
    }
    ${h.evidence.map(
      (e, i) => html`<blockquote key=${i} class="evidence" data-testid="evidence">
        <p>${e.quote}</p>
        <footer><${CiteChip} n=${e.n} record=${record(e.n)} /> <span class="evidence-source">${record(e.n)?.title ?? ''}</span></footer>
      </blockquote>`,
    )}
    ${
      h.quotes_dropped > 0 &&
      html`<p class="quotes-dropped" data-testid="quotes-dropped"><span aria-hidden="true">⚠ </span>${droppedText(h.quotes_dropped)}</p>`
    }
    <details class="hyp-more">
      <summary>${h.assumptions.length || h.predictions.length || h.falsification ? 'Rationale, assumptions, predictions and test' : 'Rationale and test'}</summary>
      <dl>
        <dt>Rationale</dt><dd>${h.rationale}</dd>
        ${h.assumptions.length > 0 && html`<dt>Assumptions</dt><dd><${Items} items=${h.assumptions} /></dd>`}
        ${h.predictions.length > 0 && html`<dt>Predictions</dt><dd><${Items} items=${h.predictions} /></dd>`}
        ${h.falsification && html`<dt>What would refute it</dt><dd>${h.falsification}</dd>`}
        <dt>How to test it</dt><dd>${h.test}</dd>
      </dl>
    </details>
    ${h.deep_review && html`<${DeepReviewBlock} review=${h.deep_review} literature=${literature} />`}
    ${
      closest.length > 0 &&
      html`<div class="prior-work" data-testid="prior-work">
        <h5>Closest prior work</h5>
        <ol>
          ${closest.map(
            (p, i) => html`<li key=${p.n} data-close=${i === 0 && h.may_be_published ? 'true' : undefined}>
              <${CiteChip} n=${p.n} record=${record(p.n)} />${' '}
              <span class="prior-title">${record(p.n)?.title ?? `Record ${p.n}`}</span>${' '}
              <span class="prior-sim">${similarityText(p.similarity)} similar</span>
            </li>`,
          )}
        </ol>
      </div>`
    }
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
