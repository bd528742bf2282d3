// @ts-check
/** The curated suites as checkboxes (name, domain, difficulty, prompts), with one for all of them. */
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../lib/html.js';
import { count } from '../lib/format.js';

/** @typedef {import('../../shared/batch-types.js').SuiteSummary} SuiteSummary */

/** @param {{ suites: SuiteSummary[], picked: string[], onPick: (ids: string[]) => void }} props */
export function BatchSuitePicker({ suites, picked, onPick }) {
  const allRef = useRef(/** @type {HTMLInputElement | null} */ (null));
  const all = suites.length > 0 && suites.every((s) => picked.includes(s.id));
  // "Some" is a third state a checkbox can show only through the DOM property.
  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = !all && picked.length > 0;
  }, [all, picked.length]);
  const prompts = suites.filter((s) => picked.includes(s.id)).reduce((n, s) => n + s.prompt_count, 0);

  /** @param {string} id */
  const toggle = (id) => onPick(picked.includes(id) ? picked.filter((x) => x !== id) : suites.map((s) => s.id).filter((x) => x === id || picked.includes(x)));

  return html`<fieldset class="batch-suites" data-testid="suite-picker">
    <legend>Suites <span class="heading-note">${picked.length > 0 ? `${count(picked.length, 'suite')}, ${count(prompts, 'prompt')}` : 'none picked'}</span></legend>
    <label class="check batch-all">
      <input type="checkbox" ref=${allRef} checked=${all} onChange=${() => onPick(all ? [] : suites.map((s) => s.id))} />
      All ${suites.length} suites
    </label>
    <ul class="batch-suite-list">
      ${suites.map(
        (s) => html`<li key=${s.id}>
          <label class="check batch-suite">
            <input type="checkbox" value=${s.id} checked=${picked.includes(s.id)} onChange=${() => toggle(s.id)} aria-describedby=${`suite-${s.id}`} />
            <span><strong>${s.name}</strong>
              <span class="field-note" id=${`suite-${s.id}`}>${s.domain} · ${s.difficulty} · ${count(s.prompt_count, 'prompt')}<span class="batch-suite-about">. ${s.description}</span></span></span>
          </label>
        </li>`,
      )}
    </ul>
  </fieldset>`;
}
