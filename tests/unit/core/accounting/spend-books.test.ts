import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpendBooks } from '../../../../server/core/accounting/spend-books.js';
import { createLogger } from '../../../../server/core/log/logger.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';
import { type AppStore, openAppStore } from '../../../../server/app-state.js';

let dir: TempDir;
let store: AppStore;
const clock = new FakeClock('2026-03-31T12:00:00Z');
const logger = createLogger('silent');

beforeEach(async () => {
  dir = await makeTempDir('labcoat-books-');
  store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 0, clock, logger });
});
afterEach(async () => {
  await store.close();
  await dir.cleanup();
});

describe('the books: what was spent', () => {
  it('books per day, model, key and session, and knows a key\u2019s day and month', () => {
    store.update((s) => void (s.sessions.s1 = { created_at: 0, last_seen_at: 0 }));
    const books = new SpendBooks({ store, clock, logger, capUsd: 1, alertFraction: 0.5 });
    books.book('2026-03-02', { model: 'm', session: null, key: 'key_a' }, { usd: 0.2, tokens_in: 1, tokens_out: 1 });
    books.book('2026-03-31', { model: 'm', session: 's1', key: 'key_a' }, { usd: 0.25, tokens_in: 10, tokens_out: 5 });
    books.book('2026-03-31', { model: 'm', session: null, key: null }, { usd: Number.NaN, tokens_in: 1, tokens_out: 1 }); // no number: nothing
    expect(books.spentOn('2026-03-31')).toBe(0.25);
    expect([books.keySpentOn('key_a', '2026-03-31'), books.keySpentIn('key_a', '2026-03')]).toEqual([0.25, 0.45]);
    expect(store.data.sessions.s1!.spent_usd).toBe(0.25);
    expect(store.data.ledger.days['2026-03-31']!.by_model.m).toEqual({ usd: 0.25, calls: 2, tokens_in: 11, tokens_out: 6 });
    expect(books.alerted('2026-03-31')).toBe(false);
    books.book('2026-03-31', { model: 'm', session: null, key: null }, { usd: 0.3, tokens_in: 1, tokens_out: 1 });
    expect(books.alerted('2026-03-31')).toBe(true);
  });

  it('charges what a previous process left in flight, headroom as money and not as a call', () => {
    const books = new SpendBooks({ store, clock, logger, capUsd: 1, alertFraction: 0.8 });
    const base = { day: '2026-03-31', at: 0, model: 'm', session: null, key: 'key_a' };
    books.chargeOrphans(
      [
        { ...base, usd: 0.1 },
        { ...base, usd: 0.03, headroom: true },
      ],
      [],
    );
    expect(store.data.ledger.days['2026-03-31']!.by_key.key_a).toEqual({ usd: 0.13, calls: 1, tokens_in: 0, tokens_out: 0 });
  });

  it('forgets days past the retention', () => {
    const books = new SpendBooks({ store, clock, logger, capUsd: 1, alertFraction: 0.8 });
    books.book('2025-01-01', { model: 'm', session: null, key: null }, { usd: 0.1, tokens_in: 1, tokens_out: 1 });
    books.book('2026-03-01', { model: 'm', session: null, key: null }, { usd: 0.1, tokens_in: 1, tokens_out: 1 });
    books.prune(clock.now());
    expect(Object.keys(store.data.ledger.days)).toEqual(['2026-03-01']);
  });
});
