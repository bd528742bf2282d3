// @ts-check
/** The scientist's turn between cycles (owner only): add a hypothesis, review one, leave notes for the next cycle. */
import { html } from '../lib/html.js';
import { isBusy } from './format.js';
import { HypothesisForm } from './hypothesis-form.js';
import { NoteForm } from './note-form.js';
import { ReviewForm } from './review-form.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */

/** @param {{ run: Run, labels: Map<string, string>, onChanged: (run?: Run) => void }} props */
export function BetweenCycles({ run, labels, onChanged }) {
  if (run.state === 'refused' || run.cycles.length === 0) return null;
  const busy = isBusy(run.state);
  return html`<section aria-labelledby="between-title" data-testid="between-cycles">
    <h3 id="between-title">Between cycles</h3>
    <p class="muted">${busy ? 'These open again when the cycle in progress ends.' : 'Your hypotheses, reviews and notes shape the next cycle.'}</p>
    <div class="between-grid">
      <${HypothesisForm} runId=${run.id} disabled=${busy} onDone=${() => onChanged()} />
      ${run.hypotheses.length > 0 && html`<${ReviewForm} run=${run} labels=${labels} disabled=${busy} onDone=${onChanged} />`}
      <${NoteForm} run=${run} disabled=${busy} onDone=${onChanged} />
    </div>
  </section>`;
}
