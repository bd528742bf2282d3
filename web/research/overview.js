// @ts-check
/**
 * The research overview that closes a request: a summary, the ranked hypotheses and why,
 * experiments and open questions, the references it names (each with what the check found) and
 * research contacts: authors of the records the leading hypotheses cite.
 */
import { html } from '../lib/html.js';
import { recordOf } from './literature-format.js';
import { CiteChip } from './record-chip.js';
import { ReferenceList } from './reference-list.js';

/**
 * @param {{
 *   overview: import('../../shared/research-types.js').Overview,
 *   labels: Map<string, string>,
 *   titles: Map<string, string>,
 *   literature: import('../../shared/research-types.js').RunLiterature | null,
 * }} props
 */
export function ResearchOverview({ overview: o, labels, titles, literature }) {
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
    ${
      o.references.length > 0 &&
      html`<div data-testid="overview-references">
        <h4>References</h4>
        <${ReferenceList} references=${o.references} label="References the overview names" />
      </div>`
    }
    ${
      o.contacts.length > 0 &&
      html`<div data-testid="contacts">
        <h4>Research contacts</h4>
        <p class="field-note">Authors of records the leading hypotheses cite, to ask before running the experiments.</p>
        <ul class="contacts">
          ${o.contacts.map((c, i) => {
            const r = recordOf(literature, c.n);
            return html`<li key=${i} data-testid="contact">
              <strong>${c.name}</strong>${' '}
              <span class="contact-from">author of <${CiteChip} n=${c.n} record=${r} />${r ? html` <span class="contact-title">${r.title}</span>` : ''}</span>
              ${
                c.hypotheses.length > 0 &&
                html` <span class="contact-for">for ${c.hypotheses.map((id) => html` <abbr key=${id} class="hyp-label" title=${titles.get(id) ?? id}>${labels.get(id) ?? '?'}</abbr>`)}</span>`
              }
            </li>`;
          })}
        </ul>
      </div>`
    }
  </section>`;
}
