// @ts-check
/**
 * Percentiles and rounding, shared by the server and the page (served as /shared/numbers.js, no
 * build step): one copy, so a number the page works out live is the number the server sends. Pure.
 */

/**
 * `x` rounded to `digits` decimals.
 * @param {number} x
 * @param {number} [digits]
 * @returns {number}
 */
export function round(x, digits = 3) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * The p-th percentile (0–100) of `values` by linear interpolation between closest ranks
 * (Hyndman & Fan type 7, the default of NumPy and R): for sorted values x[0..n-1],
 * x[h] + (h - floor(h)) * (x[floor(h)+1] - x[floor(h)]), h = (n - 1) * p / 100; null for no values.
 * @param {readonly number[]} values
 * @param {number} p
 * @returns {number | null}
 */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = ((sorted.length - 1) * Math.min(100, Math.max(0, p))) / 100;
  const lo = Math.floor(h);
  const low = /** @type {number} */ (sorted[lo]);
  const high = /** @type {number} */ (sorted[Math.min(lo + 1, sorted.length - 1)]);
  return round(low + (h - lo) * (high - low));
}
