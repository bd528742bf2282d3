/** The cap's day is the UTC calendar day: the same for every visitor, whatever their time zone. */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** Milliseconds since the epoch of the next UTC midnight after `now`. */
export function nextUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/** Seconds until the next UTC midnight, at least 1 (a Retry-After value). */
export function secondsToMidnight(now: number): number {
  return Math.max(1, Math.ceil((nextUtcMidnight(now) - now) / 1000));
}

/** The UTC month of a time, as "YYYY-MM". */
export function utcMonth(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}

/** Milliseconds since the epoch of the first instant of the next UTC month. */
export function nextUtcMonth(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
