import { describe, expect, it } from 'vitest';
import { alertReached, decideReservation } from '../../../../server/core/accounting/budget.js';
import { nextUtcMidnight, secondsToMidnight, utcDay } from '../../../../server/core/accounting/utc-day.js';

describe('daily cap decisions', () => {
  it('admits a reservation that fits exactly, and refuses one a hair over', () => {
    expect(decideReservation({ spent_usd: 3, reserved_usd: 1.5 }, 0.5, 5)).toEqual({ ok: true });
    expect(decideReservation({ spent_usd: 4.6, reserved_usd: 0 }, 0.40001, 5)).toEqual({ ok: false, code: 'daily_budget_exhausted' });
  });

  it('tells "only calls in flight hold the room" apart from "today is spent"', () => {
    expect(decideReservation({ spent_usd: 3, reserved_usd: 1.5 }, 0.50001, 5)).toEqual({ ok: false, code: 'budget_busy' });
    expect(decideReservation({ spent_usd: 4.9, reserved_usd: 0.05 }, 0.2, 5)).toEqual({ ok: false, code: 'daily_budget_exhausted' });
  });

  it('refuses when a total is not a number, rather than admitting everything', () => {
    expect(decideReservation({ spent_usd: Number.NaN, reserved_usd: 0 }, 0.1, 5).ok).toBe(false);
    expect(decideReservation({ spent_usd: 0, reserved_usd: 0 }, Number.NaN, 5).ok).toBe(false);
  });

  it('absorbs float noise in rounded sums (0.1 + 0.2 fits a 0.3 cap)', () => {
    expect(decideReservation({ spent_usd: 0.1, reserved_usd: 0.2 }, 0, 0.3).ok).toBe(true);
    expect(decideReservation({ spent_usd: 0.1, reserved_usd: 0 }, 0.2, 0.3).ok).toBe(true);
  });

  it('calls a request that could cost more than the whole cap too costly (waiting would not help)', () => {
    expect(decideReservation({ spent_usd: 0, reserved_usd: 0 }, 6, 5)).toMatchObject({ ok: false, code: 'request_too_costly' });
  });

  it('alerts at the fraction of the cap', () => {
    expect(alertReached(3.99, 5, 0.8)).toBe(false);
    expect(alertReached(4, 5, 0.8)).toBe(true);
  });
});

describe('UTC day', () => {
  it('names the UTC calendar day and the next midnight, whatever the local zone', () => {
    const t = Date.parse('2026-03-31T23:59:59.500Z');
    expect(utcDay(t)).toBe('2026-03-31');
    expect(new Date(nextUtcMidnight(t)).toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(secondsToMidnight(t)).toBe(1);
    expect(utcDay(Date.parse('2026-04-01T00:00:00Z'))).toBe('2026-04-01');
    expect(secondsToMidnight(Date.parse('2026-04-01T00:00:00Z'))).toBe(86_400);
  });
});
