// @ts-check
/**
 * Notes for the next cycle: they go into its generation prompt, next to the last meta-review, once
 * the safety screen has passed them. Notes the screen declined stay listed, struck through, with its reason.
 */
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { runPath } from './format.js';
import { useAction } from '../lib/use-action.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */

/** @param {{ run: Run, disabled: boolean, onDone: (run: Run) => void }} props */
export function NoteForm({ run, disabled, onDone }) {
  const [text, setText] = useState('');
  const { pending, error, done, act } = useAction();
  const next = run.cycles.length;
  const shown = run.notes.filter((n) => n.cycle === next || n.refused !== undefined);

  /** @param {Event} e */
  const submit = async (e) => {
    e.preventDefault();
    const updated = await act(() => api(runPath(run.id, '/notes'), { body: { text: text.trim() } }), 'Noted for the next cycle.');
    if (updated) {
      setText('');
      onDone(updated);
    }
  };

  return html`<form class="card scientist-form" onSubmit=${submit} aria-labelledby="notes-title" data-testid="note-form">
    <h4 id="notes-title">Notes for cycle ${next + 1}</h4>
    ${
      shown.length > 0 &&
      html`<ul class="note-list" data-testid="notes">
        ${shown.map((n, i) =>
          n.refused === undefined
            ? html`<li key=${i}>${n.text}</li>`
            : html`<li key=${i} data-refused="true" data-testid="note-refused">
                <s>${n.text}</s> <span class="note-refused"><strong>declined by the screen</strong> (cycle ${n.cycle + 1}): ${n.refused}</span>
              </li>`,
        )}
      </ul>`
    }
    <div class="catalog-field">
      <label for="note-text">Steer the next generation</label>
      <textarea id="note-text" rows="3" maxlength="2000" value=${text} onInput=${(/** @type {Event} */ e) => setText(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}
        placeholder="e.g. Prefer cheap observational studies; avoid animal models." required></textarea>
    </div>
    <div class="form-foot">
      <button type="submit" class="button" data-tone="primary" disabled=${disabled || pending}>Add note</button>
      <p class="status-line" role="status">${done}</p>
    </div>
    ${error && html`<p class="field-error" role="alert">${error}</p>`}
  </form>`;
}
