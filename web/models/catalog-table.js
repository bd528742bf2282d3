// @ts-check
/**
 * The catalog as a table with sortable columns (buttons in the headers, aria-sort on the one in
 * use). On a phone the same rows turn into cards through CSS, each cell labelled by data-label.
 */
import { html } from '../lib/html.js';
import { callCost, contextSize, pricePer1m, TIERS, tokenCount } from './catalog-format.js';
import { callCostUsd } from './catalog-query.js';

/** @typedef {import('./catalog-query.js').CatalogModel} CatalogModel */
/** @typedef {import('./catalog-query.js').Sort} Sort */
/** @typedef {import('./catalog-query.js').SortKey} SortKey */
/** @typedef {import('./catalog-query.js').PromptSize} PromptSize */

/** @type {Array<{ key: SortKey, label: string, numeric?: boolean }>} */
export const COLUMNS = [
  { key: 'name', label: 'Model' },
  { key: 'provider', label: 'Provider' },
  { key: 'context', label: 'Context', numeric: true },
  { key: 'input', label: 'In / 1M', numeric: true },
  { key: 'output', label: 'Out / 1M', numeric: true },
  { key: 'cost', label: 'One call', numeric: true },
  { key: 'allowed', label: 'Allowed' },
  { key: 'tier', label: 'Tier' },
];

/**
 * "provider/model" may break after the slash on a phone, rather than mid-name.
 * @param {string} id
 */
function breakable(id) {
  const slash = id.indexOf('/');
  return slash < 0 ? id : html`${id.slice(0, slash + 1)}<wbr />${id.slice(slash + 1)}`;
}

const Check = () =>
  html`<svg class="icon catalog-check" width="18" height="18" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M5 12.5l4.5 4.5L19 7.5" /></svg>`;

/**
 * @param {{ column: (typeof COLUMNS)[number], sort: Sort, onSort: (key: SortKey) => void, size: PromptSize }} props
 */
function HeaderCell({ column, sort, onSort, size }) {
  const active = sort.key === column.key;
  return html`<th scope="col" class=${column.numeric ? 'num' : undefined} aria-sort=${active ? sort.dir : undefined}>
    <button type="button" class="sort-button" data-sort=${column.key} onClick=${() => onSort(column.key)}>
      <span>${column.label}</span>
      <span class="sort-arrow" data-active=${active ? 'true' : 'false'} aria-hidden="true">${active && sort.dir === 'descending' ? '▼' : '▲'}</span>
    </button>
    ${column.key === 'cost' && html`<span class="th-note">${tokenCount(size.input)} in · ${tokenCount(size.output)} out</span>`}
  </th>`;
}

/** @typedef {((m: CatalogModel) => void) | null} OnTry null: no Try column (no model calls here) */

/** @param {{ model: CatalogModel, size: PromptSize, canTry: (m: CatalogModel) => boolean, onTry: OnTry }} props */
function Row({ model: m, size, canTry, onTry }) {
  const tier = TIERS[m.tier];
  const unknown = m.price_per_1m === null ? 'true' : undefined;
  return html`<tr data-id=${m.id}>
    <th scope="row" class="catalog-name">
      <span class="model-name">${m.name}</span>
      <code class="model-id">${breakable(m.id)}</code>
    </th>
    <td class="catalog-provider" data-label="Provider">${m.provider}</td>
    <td class="num catalog-context" data-label="Context" title=${m.context_length === null ? undefined : `${tokenCount(m.context_length)} tokens`}>
      ${contextSize(m.context_length)}
    </td>
    <td class="num catalog-input" data-label="In / 1M" data-free=${m.free ? 'true' : undefined} data-unknown=${unknown}>
      ${pricePer1m(m.price_per_1m, 'input', m.free)}
    </td>
    <td class="num catalog-output" data-label="Out / 1M" data-free=${m.free ? 'true' : undefined} data-unknown=${unknown}>
      ${pricePer1m(m.price_per_1m, 'output', m.free)}
    </td>
    <td class="num catalog-cost" data-label="One call" data-free=${m.free ? 'true' : undefined} data-unknown=${unknown}>
      ${callCost(callCostUsd(m, size), m.free)}
    </td>
    <td class="catalog-allowed" data-label="Allowed here">
      ${m.allowed ? html`<${Check} /><span class="sr-only">yes</span>` : html`<span aria-hidden="true">–</span><span class="sr-only">no</span>`}
    </td>
    <td class="catalog-tier"><span class="tier-badge" data-tier=${m.tier} title=${tier.title}>${tier.label}</span></td>
    ${
      onTry &&
      html`<td class="catalog-try">
      ${canTry(m) && html`<button type="button" class="button" onClick=${() => onTry(m)} aria-label=${`Try ${m.name}`} aria-haspopup="dialog">Try</button>`}
    </td>`
    }
  </tr>`;
}

/**
 * @param {{ models: CatalogModel[], sort: Sort, onSort: (key: SortKey) => void, size: PromptSize, canTry: (m: CatalogModel) => boolean, onTry: OnTry }} props
 */
export function CatalogTable({ models, sort, onSort, size, canTry, onTry }) {
  return html`<div class="catalog-scroll">
    <table class="catalog-table" data-testid="catalog-table">
      <caption class="sr-only">Models, sorted by ${COLUMNS.find((c) => c.key === sort.key)?.label} (${sort.dir})</caption>
      <thead>
        <tr>
          ${COLUMNS.map((c) => html`<${HeaderCell} key=${c.key} column=${c} sort=${sort} onSort=${onSort} size=${size} />`)}
          ${onTry && html`<th scope="col"><span class="sr-only">Try it</span></th>`}
        </tr>
      </thead>
      <tbody>
        ${models.map((m) => html`<${Row} key=${m.id} model=${m} size=${size} canTry=${canTry} onTry=${onTry} />`)}
      </tbody>
    </table>
  </div>`;
}
