// @ts-check
/** The research overview that closes a request: a summary, the ranked hypotheses and why, experiments and open questions. */
import { html } from '../lib/html.js';

/** @param {{ overview: import('../../shared/research-types.js').Overview, labels: Map<string, string>, titles: Map<string, string> }} props */
export function ResearchOverview({ overview: o, labels, titles }) {
  return html`<section class="card overview" aria-labelledby="overview-title" data-testid="overview">
    <h3 id="overview-title">Research overview <span class="heading-note">after cycle ${o.cycle + 1}</span></h3>
    <p>${o.summary}</p>
    ${
      o.ranked.length > 0 &&
      html`<h4>Leading hypotheses</h4>
      <ol class="overview-ranked">
        ${o.ranked.map((r) => html`<li key=${r.id}><strong><span class="hyp-label">${labels.get(r.id) ?? '?'}</span> ${titles.get(r.id) ?? r.id}</strong>: ${r.why}</li>`)}
      </ol>`
    }
    <div class="meta-cols">
      ${o.experiments.length > 0 && html`<div><h4>Experiments to run</h4><ul>${o.experiments.map((e) => html`<li>${e}</li>`)}</ul></div>`}
      ${o.open_questions.length > 0 && html`<div><h4>Open questions</h4><ul>${o.open_questions.map((q) => html`<li>${q}</li>`)}</ul></div>`}
    </div>
  </section>`;
}
