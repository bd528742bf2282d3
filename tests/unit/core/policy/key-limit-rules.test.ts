import { describe, expect, it } from 'vitest';
import { nextUtcMonth, utcMonth } from '../../../../server/core/accounting/utc-day.js';
import { admitRequest, decideKeySpend, hasSpendLimit, keySpendRefusal, type Bucket } from '../../../../server/core/policy/key-limit-rules.js';

describe('issued key: requests per minute', () => {
  it('bursts up to rpm, then refills at rpm per minute, saying when the next one fits', () => {
    let bucket: Bucket | undefined;
    const t0 = Date.UTC(2026, 10, 23, 12);
    for (let i = 0; i < 60; i++) {
      const d = admitRequest(bucket, 60, t0);
      expect(d.ok).toBe(true);
      bucket = d.bucket;
    }
    const refused = admitRequest(bucket, 60, t0);
    expect(refused).toMatchObject({ ok: false, retryAfterMs: 1000 });
    expect(admitRequest(refused.bucket, 60, t0 + 500)).toMatchObject({ ok: false, retryAfterMs: 500 });
    const later = admitRequest(refused.bucket, 60, t0 + 1000);
    expect(later.ok).toBe(true);
    expect(admitRequest(later.bucket, 60, t0 + 1000).ok).toBe(false);
    // A long pause refills to rpm, not beyond.
    let b = admitRequest(later.bucket, 60, t0 + 3_600_000).bucket;
    expect(b.tokens).toBe(59);
    for (let i = 0; i < 59; i++) b = admitRequest(b, 60, t0 + 3_600_000).bucket;
    expect(admitRequest(b, 60, t0 + 3_600_000).ok).toBe(false);
  });
});

describe('issued key: daily and monthly USD', () => {
  const limits = { daily_usd: 1, monthly_usd: 10 };
  const spend = (day: number, resDay = 0, month = day, resMonth = resDay) => ({
    spent_day: day,
    reserved_day: resDay,
    spent_month: month,
    reserved_month: resMonth,
  });

  it('admits while spent + reserved + worst case fits both', () => {
    expect(decideKeySpend(spend(0.5, 0.2), 0.3, limits)).toEqual({ ok: true });
    expect(decideKeySpend(spend(0.5, 0.2), 0.31, limits)).toEqual({ ok: false, code: 'key_daily_limit', busy: true });
    expect(decideKeySpend(spend(0.9), 0.2, limits)).toEqual({ ok: false, code: 'key_daily_limit', busy: false });
    expect(decideKeySpend(spend(0, 0, 9.9), 0.2, limits)).toEqual({ ok: false, code: 'key_monthly_limit', busy: false });
    expect(decideKeySpend(spend(0), 2, limits)).toEqual({ ok: false, code: 'key_request_too_costly' });
  });

  it('has no limit where none is set, and refuses NaN', () => {
    expect(decideKeySpend(spend(1000, 0, 1000), 5, { daily_usd: null, monthly_usd: null })).toEqual({ ok: true });
    expect(decideKeySpend(spend(Number.NaN), 0.1, limits).ok).toBe(false);
    expect(decideKeySpend(spend(0), Number.NaN, limits).ok).toBe(false);
  });

  it('months roll over in UTC', () => {
    const t = Date.UTC(2026, 11, 31, 23, 59);
    expect(utcMonth(t)).toBe('2026-12');
    expect(nextUtcMonth(t)).toBe(Date.UTC(2027, 0, 1));
  });
});

describe('issued key: refusals of its USD limits', () => {
  const now = Date.UTC(2026, 10, 23, 12);
  const limits = { daily_usd: 1, monthly_usd: 10 };
  it('says when to come back: soon while calls in flight hold the room, else at the next day or month', () => {
    const busy = keySpendRefusal({ ok: false, code: 'key_daily_limit', busy: true }, 0.2, limits, now);
    expect(busy).toMatchObject({ status: 429, code: 'key_daily_limit', headers: { 'Retry-After': '30' } });
    expect(busy.message).toContain('daily limit ($1)');
    expect(busy.headers['x-should-retry']).toBeUndefined();
    const day = keySpendRefusal({ ok: false, code: 'key_daily_limit', busy: false }, 0.2, limits, now);
    expect(day.headers).toEqual({ 'Retry-After': String(12 * 3600), 'x-should-retry': 'false' });
    const month = keySpendRefusal({ ok: false, code: 'key_monthly_limit', busy: false }, 0.2, limits, now);
    expect(month.message).toContain('next UTC month');
    expect(month.headers['Retry-After']).toBe(String((Date.UTC(2026, 11, 1) - now) / 1000));
    expect(keySpendRefusal({ ok: false, code: 'key_request_too_costly' }, 2, limits, now)).toMatchObject({ status: 422, code: 'key_request_too_costly' });
  });

  it('has no limit to decide when neither is set', () => {
    expect(hasSpendLimit(undefined)).toBe(false);
    expect(hasSpendLimit({ daily_usd: null, monthly_usd: null })).toBe(false);
    expect(hasSpendLimit({ daily_usd: null, monthly_usd: 5 })).toBe(true);
  });
});
