// @ts-check
/** The scientist's own hypothesis: it is reviewed and enters the next cycle's tournament. */
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { runPath } from './format.js';
import { useAction } from '../lib/use-action.js';

const EMPTY = { title: '', statement: '', rationale: '', test: '' };

/** @param {{ runId: string, disabled: boolean, onDone: () => void }} props */
export function HypothesisForm({ runId, disabled, onDone }) {
  const [draft, setDraft] = useState(EMPTY);
  const { pending, error, done, act } = useAction();
  /** @param {keyof typeof EMPTY} key @returns {(e: Event) => void} */
  const set = (key) => (e) => setDraft({ ...draft, [key]: /** @type {HTMLInputElement} */ (e.currentTarget).value });

  /** @param {Event} e */
  const submit = async (e) => {
    e.preventDefault();
    // Optional parts left empty are left out, so the server fills in its own wording.
    const body = Object.fromEntries(
      Object.entries(draft)
        .map(([k, v]) => [k, v.trim()])
        .filter(([k, v]) => v !== '' || k === 'title' || k === 'statement'),
    );
    const added = await act(() => api(runPath(runId, '/hypotheses'), { body }), 'Added. It is reviewed and enters the next tournament.');
    if (added) {
      setDraft(EMPTY);
      onDone();
    }
  };

  return html`<form class="card scientist-form" onSubmit=${submit} aria-labelledby="own-title" data-testid="hypothesis-form">
    <h4 id="own-title">Add your own hypothesis</h4>
    <div class="catalog-field"><label for="own-h-title">Title</label><input id="own-h-title" maxlength="160" value=${draft.title} onInput=${set('title')} required /></div>
    <div class="catalog-field"><label for="own-h-statement">Statement</label><textarea id="own-h-statement" rows="3" maxlength="1200" value=${draft.statement} onInput=${set('statement')} required></textarea></div>
    <div class="catalog-field"><label for="own-h-rationale">Rationale <span class="field-note">optional</span></label><textarea id="own-h-rationale" rows="2" maxlength="1200" value=${draft.rationale} onInput=${set('rationale')}></textarea></div>
    <div class="catalog-field"><label for="own-h-test">How to test it <span class="field-note">optional</span></label><textarea id="own-h-test" rows="2" maxlength="1200" value=${draft.test} onInput=${set('test')}></textarea></div>
    <div class="form-foot">
      <button type="submit" class="button" data-tone="primary" disabled=${disabled || pending}>Add hypothesis</button>
      <p class="status-line" role="status">${done}</p>
    </div>
    ${error && html`<p class="field-error" role="alert">${error}</p>`}
  </form>`;
}
