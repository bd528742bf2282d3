// @ts-check
/**
 * Every answer of a run, filling in as results land: suite, prompt, status, timings, tokens and
 * the check. A row opens below itself to show the prompt and the whole answer. The table
 * scrolls sideways inside its card on a phone, never the page.
 */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { html } from '../lib/html.js';
import { msText, numText, TAGS } from './format.js';
import { BatchAnswer } from './answer.js';
import { CheckMark, StatusMark } from './badges.js';

/** @typedef {import('../../shared/batch-types.js').BatchRun} BatchRun */
/** @typedef {import('../../shared/batch-types.js').BatchResult} BatchResult */

const PAGE = 100;
/** @type {Record<string, [string, (r: BatchResult) => boolean]>} */
const FILTERS = {
  all: ['All answers', () => true],
  failed: ['Failed calls', (r) => !r.ok],
  check: ['Failed checks', (r) => r.check === 'fail'],
};

/** @param {{ run: BatchRun }} props */
export function BatchResultsTable({ run }) {
  const [open, setOpen] = useState(/** @type {string | null} */ (null));
  const [filter, setFilter] = useState('all');
  const [limit, setLimit] = useState(PAGE);
  const two = run.endpoints.length > 1;
  const prompts = new Map(run.prompts.map((p) => [`${p.suite_id}/${p.id}`, p]));
  const suiteNames = new Map(run.suites.map((s) => [s.id, s.name]));
  const keep = (FILTERS[filter] ?? FILTERS.all)[1];
  const rows = run.results.filter(keep);
  const columns = two ? 9 : 8;

  /** @param {BatchResult} r */
  const detail = (r) => {
    const p = prompts.get(`${r.suite_id}/${r.prompt_id}`);
    return html`<tr class="batch-detail-row" id=${`detail-${r.slot}`} data-testid="result-detail">
      <td colspan=${columns}>
        <div class="batch-detail">
          <div>
            <h4>Prompt</h4>
            ${p?.system && html`<p class="field-note">System: ${p.system}</p>`}
            <div class="batch-answer-text">${p?.prompt ?? ''}</div>
            ${p && html`<p class="field-note">Up to ${numText(p.max_tokens)} tokens · check: ${p.check_type ?? 'none'}</p>`}
          </div>
          <div>
            <h4>Answer${two ? ` from ${TAGS[r.endpoint]}` : ''}</h4>
            <${BatchAnswer} result=${r} />
          </div>
        </div>
      </td>
    </tr>`;
  };

  return html`<section class="card" aria-labelledby="batch-results-title" data-testid="results-table">
    <div class="batch-card-head">
      <h3 id="batch-results-title">Answers <span class="heading-note">(${run.results.length} of ${run.total})</span></h3>
      <label class="batch-filter">Show
        <select value=${filter} onChange=${(/** @type {Event} */ e) => setFilter(/** @type {HTMLSelectElement} */ (e.currentTarget).value)}>
          ${Object.entries(FILTERS).map(([key, [label]]) => html`<option key=${key} value=${key}>${label}</option>`)}
        </select>
      </label>
    </div>
    ${
      run.results.length === 0
        ? html`<p class="muted">Answers appear here as they land.</p>`
        : html`<div class="batch-scroll" tabindex="0" role="region" aria-labelledby="batch-results-title">
          <table class="batch-table batch-results">
            <thead>
              <tr>
                <th scope="col">Prompt</th>
                ${two && html`<th scope="col">Endpoint</th>`}
                <th scope="col">Status</th>
                <th scope="col" class="num">Latency</th>
                <th scope="col" class="num">First token</th>
                <th scope="col" class="num">Tokens out</th>
                <th scope="col">Check</th>
                <th scope="col">Category</th>
                <th scope="col">Suite</th>
              </tr>
            </thead>
            <tbody>
              ${rows.slice(0, limit).map((r) => {
                const shown = open === r.slot;
                const toggle = () => setOpen(shown ? null : r.slot);
                return html`<${Fragment} key=${r.slot}>
                  <tr class="batch-row" data-testid="result-row" data-slot=${r.slot} data-ok=${r.ok ? 'true' : 'false'} data-open=${shown ? 'true' : undefined} onClick=${toggle}>
                    <th scope="row">
                      <button type="button" class="link-button" aria-expanded=${shown ? 'true' : 'false'} aria-controls=${`detail-${r.slot}`}
                        onClick=${(/** @type {Event} */ e) => {
                          e.stopPropagation();
                          toggle();
                        }}>${r.prompt_id}</button>
                    </th>
                    ${two && html`<td><span class="batch-tag" data-series=${r.endpoint}>${TAGS[r.endpoint]}</span></td>`}
                    <td><${StatusMark} r=${r} /></td>
                    <td class="num">${msText(r.latency_ms)}</td>
                    <td class="num">${msText(r.ttft_ms)}</td>
                    <td class="num">${numText(r.tokens_out)}</td>
                    <td><${CheckMark} r=${r} /></td>
                    <td>${prompts.get(`${r.suite_id}/${r.prompt_id}`)?.category ?? ''}</td>
                    <td>${suiteNames.get(r.suite_id) ?? r.suite_id}</td>
                  </tr>
                  ${shown && detail(r)}
                <//>`;
              })}
            </tbody>
          </table>
        </div>`
    }
    ${rows.length === 0 && run.results.length > 0 && html`<p class="muted">None of the answers so far match this filter.</p>`}
    ${rows.length > limit && html`<p><button type="button" class="button" onClick=${() => setLimit(Infinity)}>Show all ${rows.length}</button></p>`}
  </section>`;
}
