// @ts-check
/**
 * What the run's literature searches found: the sources' problems per cycle (shown, never
 * hidden), the queries of each cycle with what they found, and the numbered records with the
 * hypotheses that cite them. Long lists fold. With literature off, one line says so.
 */
import { html } from '../lib/html.js';
import { count } from '../lib/format.js';
import { authorsShort, citedBy, cyclesOfSearch, recordAnchor, safeUrl, sourceLabel } from './literature-format.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */
/** @typedef {import('../../shared/research-types.js').RunRecord} RunRecord */

/** Lists longer than these start folded. */
const OPEN_QUERIES = 9;
const OPEN_RECORDS = 12;

/** @param {{ record: RunRecord, cited: string[] }} props */
function RecordItem({ record: r, cited }) {
  const url = safeUrl(r.url);
  const meta = [authorsShort(r.authors), r.year === null ? '' : String(r.year), r.venue ?? ''].filter(Boolean);
  return html`<li class="lit-record" id=${recordAnchor(r.n)} tabindex="-1" data-testid="literature-record" data-n=${r.n}>
    <span class="lit-n">[${r.n}]</span>
    <div class="lit-body">
      <p class="lit-title">${url ? html`<a href=${url} target="_blank" rel="noopener noreferrer">${r.title}</a>` : r.title}</p>
      <p class="lit-meta">
        ${meta.length > 0 && html`<span>${meta.join(' · ')}</span>`}${' '}
        <span class="source-tag" data-source=${r.source}>${sourceLabel(r.source)}</span>
      </p>
      <p class="lit-cited">
        ${
          cited.length
            ? html`Cited by ${cited.map((label) => html` <span key=${label} class="hyp-label">${label}</span>`)}`
            : html`<span class="muted">Not cited by a hypothesis</span>`
        }
      </p>
    </div>
  </li>`;
}

/** @param {{ run: Run, labels: Map<string, string> }} props */
export function LiteratureSection({ run, labels }) {
  const lit = run.literature;
  if (!lit) {
    return html`<section class="card literature" aria-labelledby="literature-title" data-testid="literature" data-off="true">
      <h3 id="literature-title">Literature</h3>
      <p class="muted" data-testid="literature-off">Literature off for this run: references are unverifiable.</p>
    </section>`;
  }
  const cycles = cyclesOfSearch(lit);
  const cited = citedBy(run, labels);
  const found = cycles.reduce((sum, c) => sum + c.found, 0);
  return html`<section class="card literature" id="literature" aria-labelledby="literature-title" data-testid="literature">
    <h3 id="literature-title">Literature <span class="heading-note">(${count(lit.records.length, 'record')})</span></h3>
    <p class="field-note">
      ${lit.sources.length ? `Searched each cycle on ${lit.sources.map(sourceLabel).join(', ')}.` : 'No source is enabled.'}
      ${' '}Hypotheses cite these records by number; every reference a model names is checked against them and the sources.
    </p>
    ${
      lit.notices.length > 0 &&
      html`<ul class="lit-notices" aria-label="Source problems">
        ${lit.notices.map(
          (n, i) => html`<li key=${i} class="callout" data-tone="warn" data-testid="literature-notice">
            <span aria-hidden="true">⚠ </span><strong>Cycle ${n.cycle + 1}:</strong> ${n.message}
          </li>`,
        )}
      </ul>`
    }
    ${
      cycles.length === 0
        ? html`<p class="muted">The literature is searched at the start of each cycle.</p>`
        : html`<details class="lit-fold" open=${lit.queries.length <= OPEN_QUERIES} data-testid="literature-queries">
          <summary>Searches: ${count(lit.queries.length, 'query', 'queries')}, ${found} found, ${count(lit.records.length, 'record')} kept</summary>
          ${cycles.map(
            (c) => html`<div key=${c.cycle} class="lit-cycle">
              <h4 class="match-cycle">Cycle ${c.cycle + 1} · ${c.found} found, ${c.added} new</h4>
              ${
                c.queries.length === 0
                  ? html`<p class="muted">No query was searched.</p>`
                  : html`<ul class="lit-queries">
                    ${c.queries.map(
                      (q, i) => html`<li key=${i} data-testid="literature-query">
                        <span class="lit-query">${q.query}</span>${' '}
                        <span class="lit-counts">${q.found} found · ${q.added} new</span>
                      </li>`,
                    )}
                  </ul>`
              }
            </div>`,
          )}
        </details>`
    }
    ${
      lit.records.length > 0 &&
      html`<details class="lit-fold" open=${lit.records.length <= OPEN_RECORDS} data-testid="literature-records">
        <summary>Records (${lit.records.length})</summary>
        <ol class="lit-records">
          ${lit.records.map((r) => html`<${RecordItem} key=${r.n} record=${r} cited=${cited.get(r.n) ?? []} />`)}
        </ol>
      </details>`
    }
  </section>`;
}
