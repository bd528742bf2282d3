// @ts-check
/** How a planned run calls: prompts in flight at once, and which endpoint (and model) judges rubric checks. */
import { html } from '../lib/html.js';
import { TAGS } from './format.js';

const NO_JUDGE = 'none';

/**
 * @param {{
 *   max: number,
 *   concurrency: string,
 *   onConcurrency: (text: string) => void,
 *   names: string[],
 *   judge: string,
 *   onJudge: (value: string) => void,
 *   judgeModel: string,
 *   onJudgeModel: (text: string) => void,
 * }} props names: the run's endpoints (A, B); judge: an endpoint's index, or NO_JUDGE
 */
export function BatchRunOptions({ max, concurrency, onConcurrency, names, judge, onJudge, judgeModel, onJudgeModel }) {
  const workers = Number(concurrency);
  const ok = Number.isInteger(workers) && workers >= 1 && workers <= max;
  /** @param {Event} e */
  const value = (e) => /** @type {HTMLInputElement | HTMLSelectElement} */ (e.currentTarget).value;
  return html`<div class="batch-plan-fields">
    <div class="catalog-field">
      <label for="batch-concurrency">Parallel requests</label>
      <input id="batch-concurrency" type="number" inputmode="numeric" min="1" max=${max} value=${concurrency}
        onInput=${(/** @type {Event} */ e) => onConcurrency(value(e))} aria-invalid=${ok ? 'false' : 'true'} aria-describedby="batch-concurrency-note" />
      <span id="batch-concurrency-note" class=${ok ? 'field-note' : 'field-error'}>1 to ${max}, per endpoint</span>
    </div>
    <div class="catalog-field">
      <label for="batch-judge">Rubric checks judged by</label>
      <select id="batch-judge" value=${judge} onChange=${(/** @type {Event} */ e) => onJudge(value(e))} aria-describedby="batch-judge-note">
        ${names.map((n, i) => html`<option key=${i} value=${String(i)}>${TAGS[i]}: ${n}</option>`)}
        <option value=${NO_JUDGE}>Nobody: don't judge</option>
      </select>
      <span id="batch-judge-note" class="field-note">Only prompts with a rubric are judged, on that endpoint's key.</span>
    </div>
    <div class="catalog-field">
      <label for="batch-judge-model">Judge model <span class="field-note">optional</span></label>
      <input id="batch-judge-model" type="text" spellcheck=${false} autocomplete="off" list="batch-models" value=${judgeModel} disabled=${judge === NO_JUDGE}
        placeholder="its own model" onInput=${(/** @type {Event} */ e) => onJudgeModel(value(e))} />
      <span class="field-note">Another model on the judging endpoint</span>
    </div>
  </div>`;
}
