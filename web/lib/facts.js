// @ts-check
/** A short list of named facts (a definition list), e.g. the limits that apply here. */
import { html } from './html.js';

/** @typedef {{ term: string, value: any, hint?: string }} Fact */

/** @param {{ title: string, facts: Fact[] }} props */
export function Facts({ title, facts }) {
  return html`<section class="card facts-card" aria-label=${title}>
    <h3>${title}</h3>
    <dl class="facts">
      ${facts.map(
        (f) => html`<div class="fact">
          <dt>${f.term}</dt>
          <dd>${f.value}</dd>
          ${f.hint && html`<dd class="fact-hint">${f.hint}</dd>`}
        </div>`,
      )}
    </dl>
  </section>`;
}
