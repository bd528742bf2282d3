// @ts-check
/**
 * Two endpoints side by side, prompt by prompt: both answers next to each other, which passed its
 * check, and a filter for the prompts where they differ. Loaded with import() for a compare run.
 */
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { count } from '../lib/format.js';
import { endpointName, TAGS } from './format.js';
import { BatchAnswer } from './answer.js';

/** @typedef {import('../../shared/batch-types.js').BatchResult} BatchResult */

const PAGE = 20;

/** @param {Array<BatchResult | undefined>} sides both answered, and not alike: one failed, or their checks disagree */
const differ = (sides) => {
  const [a, b] = sides;
  return a !== undefined && b !== undefined && (a.ok !== b.ok || a.check !== b.check);
};

/** @param {{ run: import('../../shared/batch-types.js').BatchRun }} props */
export function BatchCompare({ run }) {
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const [limit, setLimit] = useState(PAGE);
  const bySlot = new Map(run.results.map((r) => [r.slot, r]));
  const suiteNames = new Map(run.suites.map((s) => [s.id, s.name]));
  const rows = run.prompts.map((p) => ({ p, sides: run.endpoints.map((e) => bySlot.get(`${e.index}/${p.suite_id}/${p.id}`)) }));
  const differing = rows.filter((row) => differ(row.sides));
  const shown = (onlyDiffering ? differing : rows).slice(0, limit);
  const passed = run.endpoints.map((e) => run.results.filter((r) => r.endpoint === e.index && r.check === 'pass').length);
  const checked = run.endpoints.map((e) => run.results.filter((r) => r.endpoint === e.index && r.check !== null).length);

  return html`<section class="card" aria-labelledby="batch-compare-title" data-testid="batch-compare">
    <h3 id="batch-compare-title">Answers side by side</h3>
    <p class="muted">
      ${run.endpoints.map((_e, i) => html`${i > 0 && ' · '}<span class="batch-tag" data-series=${i}>${TAGS[i]}</span> passed ${passed[i]} of ${count(checked[i] ?? 0, 'check')}`)}
      ${' · '}${count(differing.length, 'prompt')} with different outcomes.
    </p>
    <label class="check batch-differ">
      <input type="checkbox" checked=${onlyDiffering} onChange=${() => setOnlyDiffering(!onlyDiffering)} />
      Only the prompts where they differ
    </label>
    <ol class="batch-compare-list">
      ${shown.map(
        ({
          p,
          sides,
        }) => html`<li key=${`${p.suite_id}/${p.id}`} class="batch-compare-row" data-testid="compare-row" data-prompt=${p.id} data-differ=${differ(sides) ? 'true' : undefined}>
          <p class="batch-compare-head"><strong>${p.id}</strong> <span class="field-note">${suiteNames.get(p.suite_id) ?? p.suite_id} · ${p.category}${p.check_type ? ` · check: ${p.check_type}` : ''}</span></p>
          <details class="batch-prompt">
            <summary>Prompt</summary>
            <div class="batch-answer-text">${p.prompt}</div>
          </details>
          <div class="batch-compare-sides">
            ${sides.map(
              (r, i) => html`<div key=${i} class="batch-compare-side" data-testid="compare-answer" data-endpoint=${i}>
                <h4><span class="batch-tag" data-series=${i}>${TAGS[i]}</span> ${run.endpoints[i] ? endpointName(run.endpoints[i]) : ''}</h4>
                <${BatchAnswer} result=${r} />
              </div>`,
            )}
          </div>
        </li>`,
      )}
    </ol>
    ${onlyDiffering && differing.length === 0 && html`<p class="muted">They agree on every prompt answered so far.</p>`}
    ${(onlyDiffering ? differing : rows).length > limit && html`<p><button type="button" class="button" onClick=${() => setLimit((n) => n + PAGE)}>Show ${PAGE} more</button></p>`}
  </section>`;
}
