// @ts-check
/** Search and filters for the catalog, the size of one call for the cost column, and (on phones) a sort picker. */
import { html } from '../lib/html.js';
import { COLUMNS } from './catalog-table.js';

/** @typedef {import('./catalog-query.js').Filters} Filters */
/** @typedef {import('./catalog-query.js').Sort} Sort */
/** @typedef {import('./catalog-query.js').SortKey} SortKey */

/** How each order reads on the button: words for text, low and high for numbers and ranks. */
const ORDER_WORDS = /** @type {Record<SortKey, [ascending: string, descending: string]>} */ ({
  name: ['A to Z', 'Z to A'],
  provider: ['A to Z', 'Z to A'],
  context: ['Smallest first', 'Largest first'],
  input: ['Cheapest first', 'Priciest first'],
  output: ['Cheapest first', 'Priciest first'],
  cost: ['Cheapest first', 'Priciest first'],
  allowed: ['Allowed first', 'Allowed last'],
  tier: ['Everyone first', 'Everyone last'],
});

/** @param {Event} e */
const inputValue = (e) => /** @type {HTMLInputElement | HTMLSelectElement} */ (e.currentTarget).value;
/** @param {Event} e */
const checkedOf = (e) => /** @type {HTMLInputElement} */ (e.currentTarget).checked;

/**
 * @param {{
 *   filters: Filters,
 *   onChange: (patch: Partial<Filters>) => void,
 *   providers: Array<[provider: string, count: number]>,
 *   providerTotal: number,
 *   sort: Sort,
 *   onSort: (sort: Sort) => void,
 * }} props
 */
export function CatalogFilters({ filters, onChange, providers, providerTotal, sort, onSort }) {
  return html`<div class="catalog-filters" role="search" aria-label="Find models">
    <div class="catalog-field catalog-search">
      <label for="catalog-search">Search</label>
      <input
        id="catalog-search"
        type="search"
        value=${filters.query}
        onInput=${(/** @type {Event} */ e) => onChange({ query: inputValue(e) })}
        placeholder="Name, id or provider, e.g. gpt-4o"
        autocomplete="off"
        autocapitalize="off"
        spellcheck=${false}
      />
    </div>
    <div class="catalog-field">
      <label for="catalog-provider">Provider</label>
      <select id="catalog-provider" value=${filters.provider} onChange=${(/** @type {Event} */ e) => onChange({ provider: inputValue(e) })}>
        <option value="">All providers (${providerTotal})</option>
        ${providers.map(([p, n]) => html`<option key=${p} value=${p}>${p} (${n})</option>`)}
      </select>
    </div>
    <div class="catalog-field catalog-sort-picker">
      <label for="catalog-sort">Sort by</label>
      <div class="catalog-sort-row">
        <select id="catalog-sort" value=${sort.key} onChange=${(/** @type {Event} */ e) => onSort({ key: /** @type {SortKey} */ (inputValue(e)), dir: sort.dir })}>
          ${COLUMNS.map((c) => html`<option key=${c.key} value=${c.key}>${c.label}</option>`)}
        </select>
        <button
          type="button"
          class="button"
          onClick=${() => onSort({ key: sort.key, dir: sort.dir === 'ascending' ? 'descending' : 'ascending' })}
          aria-label=${`${ORDER_WORDS[sort.key][sort.dir === 'ascending' ? 0 : 1]}. Reverse the order`}
        >
          ${ORDER_WORDS[sort.key][sort.dir === 'ascending' ? 0 : 1]}
        </button>
      </div>
    </div>
    <div class="catalog-checks">
      <label class="check">
        <input type="checkbox" id="catalog-allowed-only" checked=${filters.allowedOnly} onChange=${(/** @type {Event} */ e) => onChange({ allowedOnly: checkedOf(e) })} />
        Allowed here only
      </label>
      <label class="check">
        <input type="checkbox" id="catalog-free-only" checked=${filters.freeOnly} onChange=${(/** @type {Event} */ e) => onChange({ freeOnly: checkedOf(e) })} />
        Free only
      </label>
    </div>
  </div>`;
}

/** The biggest call worth pricing; beyond it a typo, not a prompt. */
export const MAX_TOKENS = 100_000_000;

/**
 * A token count as typed: digits only (commas and spaces allowed), within 0..MAX_TOKENS.
 * @param {string} text
 * @returns {number | null} null when it is not a count
 */
export function parseTokens(text) {
  const clean = text.replace(/[\s,_]/g, '');
  if (!/^\d+$/.test(clean)) return null;
  const n = Number(clean);
  return n <= MAX_TOKENS ? n : null;
}

/**
 * @param {{
 *   draft: { input: string, output: string },
 *   onDraft: (draft: { input: string, output: string }) => void,
 * }} props the fields as typed; the view keeps the last valid size
 */
export function PromptSizeFields({ draft, onDraft }) {
  /** @param {'input' | 'output'} side @param {string} id @param {string} label */
  const field = (side, id, label) => {
    const bad = parseTokens(draft[side]) === null;
    return html`<div class="catalog-field catalog-tokens">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type="text"
        inputmode="numeric"
        value=${draft[side]}
        onInput=${(/** @type {Event} */ e) => onDraft({ ...draft, [side]: inputValue(e) })}
        aria-invalid=${bad ? 'true' : 'false'}
        aria-describedby="catalog-size-note"
        autocomplete="off"
      />
    </div>`;
  };
  const bad = parseTokens(draft.input) === null || parseTokens(draft.output) === null;
  return html`<section class="catalog-size" aria-labelledby="catalog-size-title">
    <h3 id="catalog-size-title">Price one call</h3>
    <div class="catalog-size-fields">
      ${field('input', 'catalog-tokens-in', 'Tokens in')}
      ${field('output', 'catalog-tokens-out', 'Tokens out')}
    </div>
    <p id="catalog-size-note" class=${bad ? 'field-error' : 'muted catalog-size-note'}>
      ${
        bad
          ? `Token counts are whole numbers from 0 to ${MAX_TOKENS.toLocaleString('en-US')}; the last valid size is still used.`
          : 'The One call column shows what a call this size costs with each model, and sorts by it. A token is about four characters of English text.'
      }
    </p>
  </section>`;
}
