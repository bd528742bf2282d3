// @ts-check
/** The scientist's review of a hypothesis: three scores from 1 to 5 with reasons, an optional plausibility score, a summary and an optional safety flag. */
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { runPath } from './format.js';
import { useAction } from '../lib/use-action.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */

const ASPECTS = /** @type {const} */ ([
  ['novelty', 'Novelty'],
  ['feasibility', 'Feasibility'],
  ['testability', 'Testability'],
]);
const EMPTY = {
  novelty: '3',
  novelty_reason: '',
  feasibility: '3',
  feasibility_reason: '',
  testability: '3',
  testability_reason: '',
  /** '' leaves plausibility out: it is optional. */
  plausibility: '',
  plausibility_reason: '',
  summary: '',
  flag: false,
  note: '',
};

/** @param {{ run: Run, labels: Map<string, string>, disabled: boolean, onDone: (run: Run) => void }} props */
export function ReviewForm({ run, labels, disabled, onDone }) {
  const [target, setTarget] = useState('');
  const [draft, setDraft] = useState(EMPTY);
  const { pending, error, done, act } = useAction();
  const chosen = run.hypotheses.some((h) => h.id === target) ? target : (run.leaderboard[0] ?? run.hypotheses[0]?.id ?? '');
  /** @param {keyof typeof EMPTY} key @returns {(e: Event) => void} */
  const set = (key) => (e) => {
    const el = /** @type {HTMLInputElement} */ (e.currentTarget);
    setDraft({ ...draft, [key]: el.type === 'checkbox' ? el.checked : el.value });
  };

  /** @param {Event} e */
  const submit = async (e) => {
    e.preventDefault();
    /** @param {'novelty' | 'feasibility' | 'testability' | 'plausibility'} k */
    const score = (k) => ({ score: Number(draft[k]), reason: draft[`${k}_reason`].trim() });
    const body = {
      hypothesis_id: chosen,
      novelty: score('novelty'),
      feasibility: score('feasibility'),
      testability: score('testability'),
      ...(draft.plausibility ? { plausibility: score('plausibility') } : {}),
      summary: draft.summary.trim(),
      safety: { flag: draft.flag, note: draft.note.trim() },
    };
    const updated = await act(() => api(runPath(run.id, '/reviews'), { body }), 'Review added to the card.');
    if (updated) {
      setDraft(EMPTY);
      onDone(updated);
    }
  };

  return html`<form class="card scientist-form" onSubmit=${submit} aria-labelledby="review-title" data-testid="review-form">
    <h4 id="review-title">Write a review</h4>
    <div class="catalog-field">
      <label for="review-target">Hypothesis</label>
      <select id="review-target" value=${chosen} onChange=${(/** @type {Event} */ e) => setTarget(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
        ${run.hypotheses.map((h) => html`<option key=${h.id} value=${h.id}>${labels.get(h.id)}: ${h.title}</option>`)}
      </select>
    </div>
    ${ASPECTS.map(
      ([key, name]) => html`<div class="review-aspect" key=${key}>
        <div class="catalog-field">
          <label for=${`review-${key}`}>${name}</label>
          <select id=${`review-${key}`} value=${draft[key]} onChange=${set(key)}>
            ${[1, 2, 3, 4, 5].map((n) => html`<option key=${n} value=${String(n)}>${n}</option>`)}
          </select>
        </div>
        <div class="catalog-field">
          <label for=${`review-${key}-reason`}>Why</label>
          <input id=${`review-${key}-reason`} maxlength="600" value=${draft[`${key}_reason`]} onInput=${set(`${key}_reason`)} required />
        </div>
      </div>`,
    )}
    <div class="review-aspect">
      <div class="catalog-field">
        <label for="review-plausibility">Plausibility</label>
        <select id="review-plausibility" value=${draft.plausibility} onChange=${set('plausibility')} aria-describedby="review-plausibility-note">
          <option value="">None</option>
          ${[1, 2, 3, 4, 5].map((n) => html`<option key=${n} value=${String(n)}>${n}</option>`)}
        </select>
      </div>
      <div class="catalog-field">
        <label for="review-plausibility-reason">Why</label>
        <input id="review-plausibility-reason" maxlength="600" value=${draft.plausibility_reason} onInput=${set('plausibility_reason')}
          required=${draft.plausibility !== ''} disabled=${draft.plausibility === ''} />
        <span class="field-note" id="review-plausibility-note">Optional: does it fit what is known? None leaves it out.</span>
      </div>
    </div>
    <div class="catalog-field"><label for="review-summary">Summary</label><textarea id="review-summary" rows="2" maxlength="800" value=${draft.summary} onInput=${set('summary')} required></textarea></div>
    <label class="check"><input type="checkbox" checked=${draft.flag} onChange=${set('flag')} /> Flag a safety concern</label>
    ${draft.flag && html`<div class="catalog-field"><label for="review-note">Safety note</label><input id="review-note" maxlength="500" value=${draft.note} onInput=${set('note')} /></div>`}
    <div class="form-foot">
      <button type="submit" class="button" data-tone="primary" disabled=${disabled || pending || !chosen}>Add review</button>
      <p class="status-line" role="status">${done}</p>
    </div>
    ${error && html`<p class="field-error" role="alert">${error}</p>`}
  </form>`;
}
