/** When to retry an upstream call, and how long to wait. Pure, so it is tested without a server. */

export const MAX_RETRIES = 3;
const BASE_DELAY_MS = 500;
const MAX_BACKOFF_MS = 8_000;
/** A Retry-After longer than this is not worth waiting for inside one call. */
export const RETRY_AFTER_CAP_MS = 20_000;

/** 408, 409, 429 and 5xx may succeed on a second try; other 4xx never will. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Milliseconds the upstream asked us to wait: `retry-after-ms`, else `retry-after` (seconds or HTTP date). */
export function parseRetryAfter(get: (name: string) => string | null | undefined, now: number): number | undefined {
  const ms = Number(get('retry-after-ms'));
  if (get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * Delay before retry number `attempt` (0-based): the upstream's Retry-After when it gave one
 * (capped), else exponential backoff with full jitter, which spreads clients out after an outage.
 */
export function retryDelay(attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, RETRY_AFTER_CAP_MS);
  return Math.floor(random() * Math.min(MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** attempt));
}
