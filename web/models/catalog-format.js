// @ts-check
/** How the model catalog reads: prices, costs, context sizes, ages and tiers as words. Pure. */

/**
 * A dollar amount, as short as it can be without hiding what matters: cents above a dollar,
 * three significant digits below it (so $0.0399 stays $0.0399, not $0.04), never fewer than
 * two decimals. Prices per 1M and costs of one call share it, so they can be compared.
 * @param {number} n USD, >= 0
 */
export function dollars(n) {
  if (n === 0) return '$0';
  if (n >= 1) return n.toLocaleString('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (n < 0.000001) return '< $0.000001';
  const decimals = Math.max(2, 2 - Math.floor(Math.log10(n)));
  // Trailing zeros past the second decimal say nothing: 0.000600 → 0.0006.
  return `$${n.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
}

/**
 * One side of a model's price per 1M tokens.
 * @param {{ input: number, output: number } | null} price
 * @param {'input' | 'output'} side
 * @param {boolean} free
 */
export function pricePer1m(price, side, free) {
  if (price === null) return 'unknown';
  return free ? 'free' : dollars(price[side]);
}

/**
 * What one call costs, from callCostUsd (null: the price is unknown).
 * @param {number | null} cost
 * @param {boolean} free
 */
export function callCost(cost, free) {
  if (cost === null) return 'unknown';
  return free ? 'free' : dollars(cost);
}

/**
 * Context windows as people say them: 128000 → "128K", 131072 → "128K" (binary), 1048576 → "1M".
 * Round thousands read as decimal first, since 128000 is also 125 × 1024.
 * @param {number | null} tokens
 */
export function contextSize(tokens) {
  if (tokens === null) return 'unknown';
  const k = tokens % 1000 !== 0 && tokens % 1024 === 0 ? 1024 : 1000;
  if (tokens >= k * k) return `${trim(tokens / (k * k))}M`;
  if (tokens >= k) return `${trim(tokens / k)}K`;
  return String(tokens);
}

/** @param {number} n one decimal below 10 (1.5M), none above (164K) */
const trim = (n) => String(n < 10 ? Math.round(n * 10) / 10 : Math.round(n));

/** @param {number} n e.g. 2000 → "2,000" */
export function tokenCount(n) {
  return n.toLocaleString('en-US');
}

/**
 * @param {string} iso
 * @returns {string} e.g. "25 Oct 2025" (UTC: a snapshot's date is the same everywhere)
 */
export function day(iso) {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** @param {number} seconds */
export function ago(seconds) {
  if (seconds < 60) return 'less than a minute ago';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** @typedef {'anonymous' | 'byok' | 'unavailable'} Tier */

/** @type {Record<Tier, { label: string, title: string }>} */
export const TIERS = {
  anonymous: { label: 'Everyone', title: "Anyone may use it here on this Space's key." },
  byok: { label: 'Your key', title: 'Needs your own key (Settings); you pay your provider.' },
  unavailable: { label: 'Not here', title: 'No one can use it on this Space.' },
};
