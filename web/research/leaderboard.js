// @ts-check
/** The hypotheses still in the tournament, best Elo first, with wins and losses. */
import { html } from '../lib/html.js';
import { eloText } from './format.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */

/** @param {{ run: Run, labels: Map<string, string> }} props */
export function Leaderboard({ run, labels }) {
  const byId = new Map(run.hypotheses.map((h) => [h.id, h]));
  const rows = run.leaderboard.flatMap((id) => byId.get(id) ?? []);
  return html`<section class="card" aria-labelledby="leaderboard-title" data-testid="leaderboard">
    <h3 id="leaderboard-title">Leaderboard</h3>
    ${
      rows.length === 0
        ? html`<p class="muted">Hypotheses are ranked here once they are generated.</p>`
        : html`<table class="lb-table">
          <caption class="sr-only">Hypotheses by Elo rating, best first</caption>
          <thead><tr><th scope="col" class="num">#</th><th scope="col">Hypothesis</th><th scope="col" class="num">Elo</th><th scope="col" class="num">W–L</th></tr></thead>
          <tbody>
            ${rows.map(
              (h, i) => html`<tr key=${h.id} data-testid="leaderboard-row" data-id=${h.id}>
                <td class="num">${i + 1}</td>
                <th scope="row"><span class="hyp-label" aria-hidden="true">${labels.get(h.id)}</span> ${h.title}${h.pinned ? html` <span class="lb-pin">pinned</span>` : ''}</th>
                <td class="num" title=${h.elo.toFixed(2)}>${eloText(h.elo)}</td>
                <td class="num">${h.wins}–${h.losses}</td>
              </tr>`,
            )}
          </tbody>
        </table>`
    }
  </section>`;
}
