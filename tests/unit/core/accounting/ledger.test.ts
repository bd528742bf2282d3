import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { Ledger } from '../../../../server/core/accounting/ledger.js';
import { AppError } from '../../../../server/core/errors/app-error.js';
import { createLogger } from '../../../../server/core/log/logger.js';

import { FakeClock } from '../../../helpers/fake-clock.js';
import { makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';
import { type AppStore, openAppStore } from '../../../../server/app-state.js';

let dir: TempDir;
let store: AppStore;
let clock: FakeClock;
let logs: string[];
const logger = () =>
  createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _e, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  );
const booking = { model: 'paid/model', session: 's1', key: null };
const make = (capUsd = 1, alertFraction = 0.8) => new Ledger({ store, clock, logger: logger(), capUsd, alertFraction, wayOut: ' Bring your own key.' });

beforeEach(async () => {
  dir = await makeTempDir();
  clock = new FakeClock('2026-01-15T23:00:00Z');
  logs = [];
  store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 0, clock, logger: logger() });
});
afterEach(async () => {
  await store.close();
  await dir.cleanup();
});

const refusal = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a refusal');
};

describe('ledger', () => {
  it('holds reservations against the cap and settles them to the real cost', () => {
    const ledger = make(1);
    const a = ledger.reserve(0.6, booking);
    const b = ledger.reserve(0.4, booking);
    expect(ledger.usage()).toMatchObject({ spent_usd_today: 0, reserved_usd: 1, remaining_usd: 0 });
    // Only calls in flight hold the room: a short wait helps.
    const busy = refusal(() => ledger.reserve(0.01, booking));
    expect(busy).toMatchObject({ status: 429, code: 'budget_busy' });
    expect(busy.headers['Retry-After']).toBe('30');
    expect(ledger.settle(a, { usd: 0.1, tokens_in: 100, tokens_out: 50 }, booking)).toBe(true);
    expect(ledger.settle(a, { usd: 0.1, tokens_in: 100, tokens_out: 50 }, booking)).toBe(false); // twice: no-op
    expect(ledger.usage()).toMatchObject({ spent_usd_today: 0.1, reserved_usd: 0.4, remaining_usd: 0.5 });
    ledger.settle(b, { usd: 0, tokens_in: 0, tokens_out: 0 }, booking);
    expect(store.data.ledger.reservations).toEqual({});
    expect(store.data.ledger.days['2026-01-15']).toMatchObject({
      spent_usd: 0.1,
      calls: 2,
      by_model: { 'paid/model': { usd: 0.1, calls: 2, tokens_in: 100, tokens_out: 50 } },
    });
    // Spent money: only midnight helps.
    ledger.record(booking, { usd: 0.85, tokens_in: 0, tokens_out: 0 });
    const spent = refusal(() => ledger.reserve(0.1, booking));
    expect(spent).toMatchObject({ status: 429, code: 'daily_budget_exhausted' });
    expect(spent.headers['Retry-After']).toBe(String(3600));
    expect(spent.message).toContain('Bring your own key.');
  });

  it('charges the reservation when a settled cost is not a number, so the cap stays on', () => {
    const ledger = make(1);
    ledger.settle(ledger.reserve(0.4, booking), { usd: Number.NaN, tokens_in: 0, tokens_out: 0 }, booking);
    expect(ledger.usage().spent_usd_today).toBe(0.4);
    expect(() => ledger.reserve(0.61, booking)).toThrow(AppError);
  });

  it('refuses a single call dearer than the whole cap as too costly (422, no Retry-After)', () => {
    const err = refusal(() => make(1).reserve(1.5, booking));
    expect(err).toMatchObject({ status: 422, code: 'request_too_costly' });
    expect(err.headers['Retry-After']).toBeUndefined();
  });

  it('starts a fresh day at UTC midnight, and books a call that straddles it to the day it reserved on', () => {
    const ledger = make(1);
    const late = ledger.reserve(0.5, booking);
    ledger.settle(ledger.reserve(0.5, booking), { usd: 0.5, tokens_in: 1, tokens_out: 1 }, booking);
    expect(() => ledger.reserve(0.01, booking)).toThrow(AppError);
    clock.set('2026-01-16T00:00:00Z');
    expect(ledger.usage()).toMatchObject({ day: '2026-01-16', spent_usd_today: 0, reserved_usd: 0, resets_at: '2026-01-17T00:00:00.000Z' });
    ledger.settle(late, { usd: 0.3, tokens_in: 1, tokens_out: 1 }, booking);
    expect(store.data.ledger.days['2026-01-15']!.spent_usd).toBe(0.8);
    expect(ledger.usage().spent_usd_today).toBe(0);
    expect(() => ledger.reserve(1, booking)).not.toThrow();
  });

  it('logs the alert once per day when spend crosses the fraction', () => {
    const ledger = make(1, 0.5);
    ledger.record(booking, { usd: 0.3, tokens_in: 1, tokens_out: 1 });
    expect(ledger.usage().alert).toBe(false);
    ledger.record(booking, { usd: 0.3, tokens_in: 1, tokens_out: 1 });
    ledger.record(booking, { usd: 0.1, tokens_in: 1, tokens_out: 1 });
    expect(ledger.usage().alert).toBe(true);
    expect(logs.filter((l) => l.includes('of the cap'))).toHaveLength(1);
    clock.advance(3600_000);
    ledger.record(booking, { usd: 0.6, tokens_in: 1, tokens_out: 1 });
    expect(logs.filter((l) => l.includes('of the cap'))).toHaveLength(2);
  });

  it('books per issued key and per session', () => {
    store.update((s) => void (s.sessions.s1 = { created_at: 0, last_seen_at: 0 }));
    const ledger = make(1);
    ledger.record({ model: 'm', session: 's1', key: 'key_1' }, { usd: 0.25, tokens_in: 10, tokens_out: 5 });
    expect(store.data.ledger.days['2026-01-15']!.by_key.key_1).toEqual({ usd: 0.25, calls: 1, tokens_in: 10, tokens_out: 5 });
    expect(store.data.sessions.s1!.spent_usd).toBe(0.25);
  });

  it('charges reservations left by a crashed process at their worst case, on their day', async () => {
    make(1).reserve(0.7, booking);
    await store.flush();
    await store.close();
    store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 0, clock, logger: logger() });
    const after = make(1);
    expect(after.recover()).toHaveLength(1);
    expect(after.usage()).toMatchObject({ spent_usd_today: 0.7, reserved_usd: 0 });
    expect(store.data.ledger.reservations).toEqual({});
    expect(() => after.reserve(0.31, booking)).toThrow(AppError);
  });

  it('keeps a year of days and forgets older ones', () => {
    const ledger = make(1);
    ledger.record(booking, { usd: 0.1, tokens_in: 1, tokens_out: 1 });
    clock.advance(399 * 86_400_000);
    ledger.prune();
    expect(store.data.ledger.days['2026-01-15']).toBeDefined();
    clock.advance(2 * 86_400_000);
    ledger.prune();
    expect(store.data.ledger.days['2026-01-15']).toBeUndefined();
  });
});

describe('ledger: an issued key\u2019s totals', () => {
  it('follow its reservations and settlements, today and this month, apart from other keys', () => {
    const ledger = make(10);
    const k = { model: 'paid/model', session: null, key: 'key_a' };
    const a = ledger.reserve(0.5, k);
    ledger.reserve(0.25, { ...k, key: 'key_b' });
    const b = ledger.reserve(0.2, k);
    expect(ledger.keyTotals('key_a', clock.now())).toEqual({ spent_day: 0, reserved_day: 0.7, spent_month: 0, reserved_month: 0.7 });
    ledger.settle(a, { usd: 0.1, tokens_in: 1, tokens_out: 1 }, k);
    ledger.release(b);
    expect(ledger.keyTotals('key_a', clock.now())).toEqual({ spent_day: 0.1, reserved_day: 0, spent_month: 0.1, reserved_month: 0 });
    clock.advance(3600_000 * 2); // the next day, the same month
    expect(ledger.keyTotals('key_a', clock.now())).toEqual({ spent_day: 0, reserved_day: 0, spent_month: 0.1, reserved_month: 0 });
    expect(ledger.keyTotals('key_b', clock.now())).toMatchObject({ reserved_day: 0, reserved_month: 0.25 });
  });
});
