// @ts-check
/**
 * The tournament's matches by cycle: who beat whom, the Elo that moved, the judge's reason, and
 * debates to expand (with the references a turn names, each checked); above them, how often the
 * judge chose the hypothesis it was shown first (its position bias).
 */
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { positionBiasText } from './rating-format.js';
import { ReferenceList } from './reference-list.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */
/** @typedef {import('../../shared/research-types.js').Match} Match */

const RECENT = 12;

/** @param {{ id: string, labels: Map<string, string>, titles: Map<string, string> }} props */
const Who = ({ id, labels, titles }) => html`<abbr class="hyp-ref" title=${titles.get(id) ?? id}>${labels.get(id) ?? id}</abbr>`;

/** @param {{ m: Match, labels: Map<string, string>, titles: Map<string, string> }} props */
function MatchItem({ m, labels, titles }) {
  const loser = m.winner === m.a ? m.b : m.a;
  /** @param {'A' | 'B' | 'judge'} s */
  const speaker = (s) => (s === 'judge' ? 'Judge' : `For ${labels.get(s === 'A' ? m.a : m.b) ?? s}`);
  return html`<li class="match" data-testid="match" data-id=${m.id}>
    <p class="match-line">
      <span><strong><${Who} id=${m.winner} labels=${labels} titles=${titles} /></strong> beat <${Who} id=${loser} labels=${labels} titles=${titles} /></span>
      <span class="match-delta">+${m.elo_delta.toFixed(1)} Elo</span>
    </p>
    <p class="match-reason">${m.reason}</p>
    ${
      m.debate &&
      html`<details class="debate">
      <summary>Read the debate (${m.debate.length} turns)</summary>
      <ol>
        ${m.debate.map(
          (t, i) => html`<li key=${i} data-speaker=${t.speaker}>
            <strong>${speaker(t.speaker)}:</strong> ${t.text}
            ${t.references?.length ? html`<${ReferenceList} references=${t.references} label=${`References ${speaker(t.speaker)} names`} />` : null}
          </li>`,
        )}
      </ol>
    </details>`
    }
  </li>`;
}

/** @param {{ run: Run, labels: Map<string, string> }} props */
export function MatchList({ run, labels }) {
  const [all, setAll] = useState(false);
  const titles = new Map(run.hypotheses.map((h) => [h.id, h.title]));
  const shown = all ? run.matches : run.matches.slice(-RECENT);
  const cycles = [...new Set(shown.map((m) => m.cycle))];
  const bias = positionBiasText(run.position_bias);
  return html`<section class="card" aria-labelledby="matches-title" data-testid="matches">
    <h3 id="matches-title">Matches <span class="heading-note">(${run.matches.length})</span></h3>
    ${run.matches.length === 0 && html`<p class="muted">The tournament’s verdicts appear here.</p>`}
    ${bias && html`<p class="field-note" data-testid="position-bias">${bias}</p>`}
    ${cycles.map(
      (c) => html`<div key=${c}>
        <h4 class="match-cycle">Cycle ${c + 1}</h4>
        <ol class="match-list">
          ${shown.filter((m) => m.cycle === c).map((m) => html`<${MatchItem} key=${m.id} m=${m} labels=${labels} titles=${titles} />`)}
        </ol>
      </div>`,
    )}
    ${
      run.matches.length > RECENT &&
      html`<button type="button" class="link-button" onClick=${() => setAll(!all)}>${all ? `Show the last ${RECENT} only` : `Show all ${run.matches.length} matches`}</button>`
    }
  </section>`;
}
