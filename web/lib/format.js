// @ts-check
/** Numbers as people read them. */

/** @param {number} n e.g. 5 → "$5", 4.5 → "$4.50"; below a cent, its significant digits: 0.0001 → "$0.0001" */
export function usd(n) {
  if (n > 0 && n < 0.01) return n.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 });
  return n.toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: n % 1 === 0 ? 0 : 2 });
}

/**
 * Money where room is short (the header): whole cents, and "< $0.01" for a real but tiny amount.
 * @param {number} n USD, >= 0
 */
export function cents(n) {
  return n > 0 && n < 0.01 ? '< $0.01' : usd(n);
}

/** @param {number} n @param {string} one @param {string} [many] */
export function count(n, one, many = `${one}s`) {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/**
 * A moment as the visitor's clock shows it, with the day when it is not today: "14:05", "Tue 01:00".
 * @param {string} iso
 */
export function localTime(iso) {
  const at = new Date(iso);
  const time = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return at.toDateString() === new Date().toDateString() ? time : `${at.toLocaleDateString([], { weekday: 'short' })} ${time}`;
}

/** @param {number} part @param {number} whole @returns {number} 0..100 */
export function percent(part, whole) {
  return whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)) : 0;
}
