// @ts-check
/** The catalog's data and the pure work on it: cost of one call, sorting, filtering, provider counts. */

/**
 * One model as GET /api/models returns it.
 * @typedef {object} CatalogModel
 * @property {string} id
 * @property {string} name
 * @property {string} provider
 * @property {number | null} context_length
 * @property {{ input: number, output: number } | null} price_per_1m USD per 1M tokens; null: unknown
 * @property {boolean} free
 * @property {boolean} json_mode
 * @property {boolean} allowed on this Space's whitelist
 * @property {import('./catalog-format.js').Tier} tier
 */

/**
 * @typedef {object} Catalog
 * @property {'live' | 'snapshot'} source
 * @property {string} fetched_at
 * @property {number} age_s
 * @property {string | null} refresh_error
 * @property {string[]} missing_allowed
 * @property {CatalogModel[]} models
 */

/** @typedef {{ input: number, output: number }} PromptSize tokens in and out of one call */
/** @typedef {'name' | 'provider' | 'context' | 'input' | 'output' | 'cost' | 'allowed' | 'tier'} SortKey */
/** @typedef {'ascending' | 'descending'} SortDir */
/** @typedef {{ key: SortKey, dir: SortDir }} Sort */
/** @typedef {{ query: string, allowedOnly: boolean, freeOnly: boolean, provider: string }} Filters provider '' is every provider */

/**
 * USD for one call of this size; null when the price is unknown.
 * @param {CatalogModel} m
 * @param {PromptSize} size
 */
export function callCostUsd(m, size) {
  const p = m.price_per_1m;
  return p === null ? null : (p.input * size.input + p.output * size.output) / 1e6;
}

// Everyone first, then your key, then not here.
const TIER_ORDER = { anonymous: 0, byok: 1, unavailable: 2 };

/**
 * What each column sorts by: a string or a number; null (unknown) always goes last.
 * @type {Record<SortKey, (m: CatalogModel, size: PromptSize) => string | number | null>}
 */
const SORT_VALUE = {
  name: (m) => m.name.toLowerCase(),
  provider: (m) => m.provider,
  context: (m) => m.context_length,
  input: (m) => m.price_per_1m?.input ?? null,
  output: (m) => m.price_per_1m?.output ?? null,
  cost: callCostUsd,
  allowed: (m) => (m.allowed ? 0 : 1),
  tier: (m) => TIER_ORDER[m.tier],
};

/** The direction a column sorts in on its first click: the most useful end first. */
export const FIRST_DIR = /** @type {Record<SortKey, SortDir>} */ ({
  name: 'ascending',
  provider: 'ascending',
  context: 'descending',
  input: 'ascending',
  output: 'ascending',
  cost: 'ascending',
  allowed: 'ascending',
  tier: 'ascending',
});

/**
 * A sorted copy; ties fall back to the name, so the order is stable whatever came before.
 * @param {CatalogModel[]} models
 * @param {Sort} sort
 * @param {PromptSize} size only read when sorting by cost
 */
export function sortModels(models, sort, size) {
  const value = SORT_VALUE[sort.key];
  const sign = sort.dir === 'ascending' ? 1 : -1;
  const keyed = models.map((m) => ({ m, v: value(m, size), n: m.name.toLowerCase() }));
  keyed.sort((a, b) => {
    if (a.v !== b.v) {
      if (a.v === null) return 1;
      if (b.v === null) return -1;
      return sign * (a.v < b.v ? -1 : 1);
    }
    return a.n < b.n ? -1 : a.n > b.n ? 1 : a.m.id < b.m.id ? -1 : 1;
  });
  return keyed.map((k) => k.m);
}

/** @type {WeakMap<CatalogModel, string>} what search looks in, built once per model */
const haystacks = new WeakMap();

/** @param {CatalogModel} m */
function haystack(m) {
  let text = haystacks.get(m);
  if (text === undefined) {
    text = `${m.name}\n${m.id}\n${m.provider}`.toLowerCase();
    haystacks.set(m, text);
  }
  return text;
}

/**
 * The checkboxes alone (allowed, free): what the provider list counts.
 * @param {CatalogModel[]} models
 * @param {Pick<Filters, 'allowedOnly' | 'freeOnly'>} f
 */
export function checkboxFilter(models, f) {
  return models.filter((m) => (!f.allowedOnly || m.allowed) && (!f.freeOnly || m.free));
}

/**
 * Every filter; every word of the query must appear in the name, id or provider.
 * @param {CatalogModel[]} models
 * @param {Filters} f
 */
export function filterModels(models, f) {
  const words = f.query.toLowerCase().split(/\s+/).filter(Boolean);
  return checkboxFilter(models, f).filter((m) => (!f.provider || m.provider === f.provider) && words.every((w) => haystack(m).includes(w)));
}

/**
 * Providers A–Z with how many models each has.
 * @param {CatalogModel[]} models
 * @returns {Array<[provider: string, count: number]>}
 */
export function providerCounts(models) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const m of models) counts.set(m.provider, (counts.get(m.provider) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0].localeCompare(b[0]));
}
