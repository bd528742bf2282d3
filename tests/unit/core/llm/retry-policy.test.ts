import { describe, expect, it } from 'vitest';
import { isRetryableStatus, parseRetryAfter, retryDelay, RETRY_AFTER_CAP_MS } from '../../../../server/core/llm/retry-policy.js';

const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('retry policy', () => {
  it.each([408, 409, 429, 500, 502, 503, 504, 529])('retries %i', (s) => expect(isRetryableStatus(s)).toBe(true));
  it.each([400, 401, 402, 403, 404, 422])('never retries %i', (s) => expect(isRetryableStatus(s)).toBe(false));

  it('reads retry-after-ms first, then retry-after seconds or date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(parseRetryAfter(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(headers({}), now)).toBeUndefined();
  });

  it('honours Retry-After up to a cap, else backs off with full jitter', () => {
    expect(retryDelay(0, 1200)).toBe(1200);
    expect(retryDelay(0, 600_000)).toBe(RETRY_AFTER_CAP_MS);
    expect(retryDelay(0, undefined, () => 0.999)).toBe(499);
    expect(retryDelay(2, undefined, () => 0.5)).toBe(1000);
    expect(retryDelay(10, undefined, () => 0.999)).toBeLessThanOrEqual(8000);
    expect(retryDelay(3, undefined, () => 0)).toBe(0);
  });
});
