// @ts-check
/**
 * The run's research plan (objective, domain, preferences, constraints, what a good hypothesis
 * has), which every prompt of the next cycles reads. The owner edits it between cycles
 * (PUT …/plan); others, and everyone while a cycle is on its way, read it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { useAction } from '../lib/use-action.js';
import { isBusy, runPath } from './format.js';
import { listProblem, PLAN_LIMITS, PLAN_LISTS, planBody, planDraft } from './plan-format.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */
/** @typedef {import('./plan-format.js').PlanDraft} PlanDraft */

/** @param {{ items: string[] }} props */
const List = ({ items }) => (items.length ? html`<ul>${items.map((x, i) => html`<li key=${i}>${x}</li>`)}</ul>` : html`<span class="muted">None</span>`);

/** @param {{ run: Run, onSaved: (run: Run) => void, onClose: () => void }} props */
function PlanEditor({ run, onSaved, onClose }) {
  const [draft, setDraft] = useState(() => planDraft(run.plan));
  const { pending, error, act } = useAction();
  const first = useRef(/** @type {HTMLTextAreaElement | null} */ (null));
  useEffect(() => first.current?.focus(), []);
  /** @param {keyof PlanDraft} key @returns {(e: Event) => void} */
  const set = (key) => (e) => setDraft({ ...draft, [key]: /** @type {HTMLInputElement} */ (e.currentTarget).value });

  /** @param {Event} e */
  const save = async (e) => {
    e.preventDefault();
    const updated = await act(() => api(runPath(run.id, '/plan'), { method: 'PUT', body: planBody(draft) }));
    if (updated) onSaved(updated);
  };

  return html`<form class="plan-edit" onSubmit=${save} data-testid="rp-form">
    <div class="catalog-field">
      <label for="rp-objective">Objective</label>
      <textarea id="rp-objective" ref=${first} rows="3" maxlength=${PLAN_LIMITS.objective} aria-describedby="rp-objective-note"
        value=${draft.objective} onInput=${set('objective')}></textarea>
      <span class="field-note" id="rp-objective-note">Required, up to ${PLAN_LIMITS.objective} characters.</span>
    </div>
    <div class="catalog-field">
      <label for="rp-domain">Domain</label>
      <input id="rp-domain" maxlength=${PLAN_LIMITS.domain} aria-describedby="rp-domain-note" value=${draft.domain} onInput=${set('domain')} />
      <span class="field-note" id="rp-domain-note">Up to ${PLAN_LIMITS.domain} characters.</span>
    </div>
    ${PLAN_LISTS.map(([key, name]) => {
      const problem = listProblem(draft[key]);
      return html`<div class="catalog-field" key=${key}>
        <label for=${`rp-${key}`}>${name}</label>
        <textarea id=${`rp-${key}`} rows="3" aria-describedby=${`rp-${key}-note`} aria-invalid=${problem ? 'true' : undefined}
          value=${draft[key]} onInput=${set(key)}></textarea>
        <span class=${problem ? 'field-error' : 'field-note'} id=${`rp-${key}-note`}>
          ${problem ?? `One per line: at most ${PLAN_LIMITS.items}, each up to ${PLAN_LIMITS.item} characters.`}
        </span>
      </div>`;
    })}
    <div class="form-foot">
      <button type="submit" class="button" data-tone="primary" disabled=${pending}>Save plan</button>
      <button type="button" class="button" disabled=${pending} onClick=${onClose}>Cancel</button>
    </div>
    ${error && html`<p class="field-error" role="alert" data-testid="rp-error">${error}</p>`}
  </form>`;
}

/** @param {{ run: Run, onChanged: (run?: Run) => void }} props */
export function PlanPanel({ run, onChanged }) {
  const [editing, setEditing] = useState(false);
  const editButton = useRef(/** @type {HTMLButtonElement | null} */ (null));
  const busy = isBusy(run.state);
  const canEdit = run.owner && !busy && run.state !== 'refused';
  const open = editing && canEdit;
  const close = () => {
    setEditing(false);
    setTimeout(() => editButton.current?.focus());
  };
  const p = run.plan;

  return html`<section class="card plan-panel" aria-labelledby="rp-title" data-testid="research-plan">
    <div class="plan-panel-head">
      <h3 id="rp-title">Research plan</h3>
      ${canEdit && !open && html`<button type="button" class="button" ref=${editButton} onClick=${() => setEditing(true)}>${p ? 'Edit plan' : 'Write a plan'}</button>`}
    </div>
    <p class="field-note">Every prompt of the next cycles reads this plan after the goal.${run.owner && busy ? ' You can edit it when the cycle in progress ends.' : ''}</p>
    ${
      open
        ? html`<${PlanEditor} run=${run} onClose=${close} onSaved=${(/** @type {Run} */ updated) => {
            onChanged(updated);
            close();
          }} />`
        : p
          ? html`<dl class="plan-view">
            <div class="plan-wide"><dt>Objective</dt><dd data-testid="rp-objective">${p.objective}</dd></div>
            <div><dt>Domain</dt><dd data-testid="rp-domain">${p.domain || html`<span class="muted">Not set</span>`}</dd></div>
            ${PLAN_LISTS.map(([key, name]) => html`<div key=${key}><dt>${name}</dt><dd data-testid=${`rp-${key}`}><${List} items=${p[key]} /></dd></div>`)}
          </dl>`
          : html`<p class="muted" data-testid="rp-none">No plan yet — the first cycle writes it.</p>`
    }
  </section>`;
}
