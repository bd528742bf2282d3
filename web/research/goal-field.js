// @ts-check
/** The research goal: a plain-text box with its length, and example goals that fill it in one click. */
import { useRef } from 'preact/hooks';
import { html } from '../lib/html.js';

export const GOAL_MIN = 10;
export const GOAL_MAX = 5000;

const EXAMPLES = [
  'Why do some people sleep better after eating fermented food?',
  'What limits the life of lithium-ion batteries in cold climates, and how could it be extended?',
  'How could coral reefs be made more resilient to ocean acidification?',
  'How do some bacteria survive antibiotics without carrying resistance genes?',
];

/** @param {{ goal: string, onGoal: (goal: string) => void }} props */
export function GoalField({ goal, onGoal }) {
  const box = useRef(/** @type {HTMLTextAreaElement | null} */ (null));
  const length = goal.trim().length;
  const short = length > 0 && length < GOAL_MIN;
  return html`<div class="goal-field">
    <label for="plan-goal">Research goal</label>
    <textarea id="plan-goal" ref=${box} rows="3" maxlength=${GOAL_MAX} value=${goal}
      onInput=${(/** @type {Event} */ e) => onGoal(/** @type {HTMLTextAreaElement} */ (e.currentTarget).value)}
      placeholder="A question you would like hypotheses for, in plain words."
      aria-describedby="plan-goal-note" aria-invalid=${short ? 'true' : 'false'}></textarea>
    <p id="plan-goal-note" class=${short ? 'field-error' : 'field-note'}>
      ${short ? `Write at least ${GOAL_MIN} characters.` : 'Plain text; the model first checks that it is a research question.'}
      <span class="goal-count">${goal.length.toLocaleString('en-US')} / ${GOAL_MAX.toLocaleString('en-US')}</span>
    </p>
    <div class="goal-examples">
      <span class="field-note" id="goal-examples-title">Or start from an example:</span>
      <ul aria-labelledby="goal-examples-title">
        ${EXAMPLES.map(
          (text) =>
            html`<li key=${text}><button type="button" class="chip" onClick=${() => {
              onGoal(text);
              box.current?.focus();
            }}>${text}</button></li>`,
        )}
      </ul>
    </div>
  </div>`;
}
