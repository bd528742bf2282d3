// @ts-check
/**
 * The hypotheses still in the tournament, best Elo first, each with how sure its rating is (±, from
 * the matches it played) and its wins and losses; below, the ones held for safety or declined by
 * the screen, which do not compete.
 */
import { heldForSafety } from '../../shared/ranking.js';
import { html } from '../lib/html.js';
import { eloText } from './format.js';
import { uncertaintyText } from './rating-format.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */

/** @param {{ run: Run, labels: Map<string, string> }} props */
export function Leaderboard({ run, labels }) {
  const byId = new Map(run.hypotheses.map((h) => [h.id, h]));
  const rows = run.leaderboard.flatMap((id) => byId.get(id) ?? []);
  const held = run.hypotheses.filter((h) => !h.dropped && heldForSafety(h));
  return html`<section class="card" aria-labelledby="leaderboard-title" data-testid="leaderboard">
    <h3 id="leaderboard-title">Leaderboard</h3>
    ${
      rows.length === 0
        ? html`<p class="muted">Hypotheses are ranked here once they are generated.</p>`
        : html`<table class="lb-table">
          <caption class="sr-only">Hypotheses by Elo rating, best first, with its uncertainty and the matches played</caption>
          <thead><tr><th scope="col" class="num">#</th><th scope="col">Hypothesis</th><th scope="col" class="num">Elo</th><th scope="col" class="num">Matches <span class="lb-unc">(W–L)</span></th></tr></thead>
          <tbody>
            ${rows.map(
              (h, i) => html`<tr key=${h.id} data-testid="leaderboard-row" data-id=${h.id}>
                <td class="num">${i + 1}</td>
                <th scope="row"><span class="hyp-label" aria-hidden="true">${labels.get(h.id)}</span> ${h.title}${h.pinned ? html` <span class="lb-pin">pinned</span>` : ''}</th>
                <td class="num" title=${h.elo.toFixed(2)} data-testid="lb-elo">${eloText(h.elo)} <span class="lb-unc">${uncertaintyText(h.wins + h.losses)}</span></td>
                <td class="num" data-testid="lb-matches">${h.wins + h.losses} <span class="lb-unc">(${h.wins}–${h.losses})</span></td>
              </tr>`,
            )}
          </tbody>
        </table>
        <p class="field-note">± is one standard error of the rating (about 347 / √matches): it narrows as a hypothesis plays more.</p>`
    }
    ${
      held.length > 0 &&
      html`<p class="field-note" data-testid="lb-held">Not ranked: ${held.map(
        (h, i) =>
          html`${i ? ' · ' : ''}<span class="hyp-label">${labels.get(h.id)}</span> ${h.refused !== null ? 'declined by the screen' : 'held for safety'}`,
      )}</p>`
    }
  </section>`;
}
