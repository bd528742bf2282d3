import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { HEADROOM_CALLS, HEADROOM_IDLE_MS, headroomFor } from '../../server/accounting/headroom.js';
import { Ledger, type Reservation } from '../../server/accounting/ledger.js';
import type { JournalReservation } from '../../server/accounting/ledger-state.js';
import { GatewayUsageBook } from '../../server/gateway/gateway-usage.js';
import type { IssuedKeyRecord } from '../../server/gateway/issued-keys.js';
import { KeyLimiter } from '../../server/gateway/key-limiter.js';
import { createLogger } from '../../server/log/logger.js';
import { AppendJournal } from '../../server/store/append-journal.js';
import { openStore, type Store } from '../../server/store/store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

const logger = createLogger('silent');
const DAY = '2026-11-23';
const keyed = { model: 'paid/model', session: null, key: 'key_a' };
const actual = (usd: number) => ({ usd, tokens_in: 10, tokens_out: 10 });

describe('headroom rules', () => {
  it.each([
    ['31 more calls when the cap is large', 0.001, 100, { usd: 0, count: 0 }, 0.031],
    ['at most 1% of the cap per booking', 0.01, 10, { usd: 0, count: 0 }, 0.1],
    ['only what is left of 5% of the cap for all bookings', 0.001, 1, { usd: 0.045, count: 3 }, 0.005],
    ['none when it would cover fewer than two more calls', 0.006, 1, { usd: 0, count: 0 }, 0],
    ['none for a free call', 0, 100, { usd: 0, count: 0 }, 0],
    ['none past 64 open bookings', 0.001, 100, { usd: 0, count: 64 }, 0],
  ])('%s', (_name, worst, cap, open, expected) => {
    expect(headroomFor(worst, cap, open)).toBeCloseTo(expected, 10);
  });
});

describe('reservation headroom in the ledger', () => {
  let dir: TempDir;
  let store: Store;
  let clock: FakeClock;
  let journal: AppendJournal<JournalReservation>;
  const path = () => join(dir.path, 'reservations.journal');
  const make = (capUsd = 100) => new Ledger({ store, clock, logger, capUsd, alertFraction: 0.8, wayOut: '', journal });

  beforeEach(async () => {
    dir = await makeTempDir('labcoat-headroom-');
    clock = new FakeClock(`${DAY}T12:00:00Z`);
    store = await openStore({ dataDir: dir.path, flushIntervalMs: 60_000, clock, logger });
    journal = (await AppendJournal.open<JournalReservation>(path())).journal;
  });
  afterEach(async () => {
    await journal.close();
    await store.close();
    await dir.cleanup();
  });

  it('covers an issued key’s next 31 calls with the line of its first: one synced write for 32 calls', async () => {
    const ledger = make();
    for (let i = 0; i < HEADROOM_CALLS + 1; i++) {
      const r = ledger.reserve(0.001, keyed);
      await ledger.persist(r);
      ledger.settle(r, actual(0.0004), keyed);
    }
    expect(journal.stats().writes).toBe(1);
    expect(ledger.usage()).toMatchObject({ spent_usd_today: 0.0128, reserved_usd: 0 }); // the headroom is used up
    await ledger.persist(ledger.reserve(0.001, keyed));
    expect(journal.stats().writes).toBe(2);
    // A visitor's session (no issued key) never gets headroom: each paid call has its own line.
    for (let i = 0; i < 3; i++) await ledger.persist(ledger.reserve(0.001, { model: 'paid/model', session: 's1', key: null }));
    expect(journal.stats().writes).toBe(5);
  });

  it('after a crash charges at least every call that may have left, drawn on headroom or not', async () => {
    const ledger = make();
    const settled = (n: number) => {
      for (let i = 0; i < n; i++) {
        const r = ledger.reserve(0.001, keyed);
        ledger.settle(r, actual(0.0004), keyed);
      }
    };
    const first = ledger.reserve(0.001, keyed);
    await ledger.persist(first);
    ledger.settle(first, actual(0.0004), keyed);
    settled(10);
    await store.flush(); // state.json: 11 settled, the headroom with 21 calls' worth left
    settled(3);
    const inFlight = [ledger.reserve(0.001, keyed), ledger.reserve(0.001, keyed)];
    await Promise.all(inFlight.map((r) => ledger.persist(r)));
    expect(journal.stats().writes).toBe(1);
    await journal.close(); // the crash: nothing after the flush reached state.json

    const reopened = await openStore({ dataDir: dir.path, flushIntervalMs: 60_000, clock, logger });
    const { entries } = await AppendJournal.open<JournalReservation>(path());
    const after = new Ledger({ store: reopened, clock, logger, capUsd: 100, alertFraction: 0.8, wayOut: '' });
    const recovered = after.recover(entries);
    const exposure = 14 * 0.0004 + 2 * 0.001; // what the provider may have billed: 14 answers and 2 calls cut off
    const charged = after.usage().spent_usd_today;
    expect(charged).toBeGreaterThanOrEqual(exposure);
    expect(charged).toBeCloseTo(11 * 0.0004 + 21 * 0.001, 10); // the 11 on disk, and the headroom's rest as it stood then
    expect(reopened.data.ledger.days[DAY]!.by_key.key_a!.usd).toBe(charged);
    expect(reopened.data.ledger.days[DAY]!.by_key.key_a!.calls).toBe(11); // headroom is money, not a call
    expect(after.usage().reserved_usd).toBe(0);
    const book = new GatewayUsageBook({ store: reopened, clock });
    book.chargeRecovered(recovered);
    expect(book.rows({ key: 'key_a' })).toEqual([expect.objectContaining({ requests: 0, errors: 0, usd: 0.021 })]);
    await reopened.close();
  });

  it('charges a headroom line that only reached the journal in full', async () => {
    const ledger = make();
    await ledger.persist(ledger.reserve(0.001, keyed));
    await journal.close(); // state.json never saw the reservation or its headroom
    const reopened = await openStore({ dataDir: dir.path, flushIntervalMs: 60_000, clock, logger });
    const { entries } = await AppendJournal.open<JournalReservation>(path());
    const after = new Ledger({ store: reopened, clock, logger, capUsd: 100, alertFraction: 0.8, wayOut: '' });
    expect(after.recover(entries)).toHaveLength(2);
    expect(after.usage().spent_usd_today).toBeCloseTo(0.001 + 0.031, 10);
    await reopened.close();
  });

  it('never refuses a call for headroom held by another booking: it is given back first', async () => {
    const ledger = make(1);
    const a = ledger.reserve(0.0003, keyed); // opens 0.0093 of headroom
    await ledger.persist(a);
    expect(ledger.usage().reserved_usd).toBeCloseTo(0.0096, 10);
    const big = ledger.reserve(0.995, { model: 'paid/model', session: 's1', key: null });
    expect(ledger.usage().reserved_usd).toBeCloseTo(0.9953, 10);
    ledger.settle(big, actual(0.5), { model: 'paid/model', session: 's1', key: null });
    ledger.settle(a, actual(0.0001), keyed);
    expect(ledger.usage().reserved_usd).toBe(0);
  });

  it(`gives idle headroom back after ${HEADROOM_IDLE_MS / 1000} s, and at shutdown`, async () => {
    const ledger = make();
    const r = ledger.reserve(0.001, keyed);
    await ledger.persist(r);
    ledger.settle(r, actual(0.0004), keyed);
    expect(ledger.usage().reserved_usd).toBeCloseTo(0.031, 10);
    clock.advance(HEADROOM_IDLE_MS - 1);
    expect(ledger.usage().reserved_usd).toBeCloseTo(0.031, 10);
    clock.advance(2);
    expect(ledger.usage().reserved_usd).toBe(0);
    await ledger.persist(ledger.reserve(0.001, keyed));
    ledger.releaseHeadroom();
    expect(ledger.usage().reserved_usd).toBe(0.001);
    expect(Object.values(store.data.ledger.reservations).filter((x) => x.headroom)).toEqual([]);
  });

  it('stops drawing on a key’s headroom once its limit is lowered below what it holds', async () => {
    const ledger = make();
    const record = { id: 'key_a', daily_usd: 1, monthly_usd: null } as IssuedKeyRecord;
    const guard = new KeyLimiter({ clock, ledger }).spendGuard(record)!;
    const first = ledger.reserve(0.001, keyed, guard);
    await ledger.persist(first);
    ledger.settle(first, actual(0.0005), keyed);
    record.daily_usd = 0.0015; // the owner lowers the limit: 0.0005 spent, room for one more worst case
    const second = ledger.reserve(0.001, keyed, guard);
    await ledger.persist(second);
    expect(journal.stats().writes).toBe(2); // its own line: the headroom went back
    ledger.settle(second, actual(0.0005), keyed);
    expect(() => ledger.reserve(0.001, keyed, guard)).toThrow(expect.objectContaining({ code: 'key_daily_limit' }));
  });

  it('gives the headroom back when its line cannot be written, and every call that drew on it fails too', async () => {
    const failing = new Ledger({ store, clock, logger, capUsd: 100, alertFraction: 0.8, wayOut: '', journal: { append: () => Promise.reject(new Error('disk full')) } });
    const first = failing.reserve(0.001, keyed);
    const drawn = failing.reserve(0.001, keyed); // before the write failed
    const results = await Promise.allSettled([failing.persist(first), failing.persist(drawn)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of [first, drawn] as Reservation[]) failing.release(r);
    expect(failing.usage().reserved_usd).toBe(0);
    expect(store.data.ledger.reservations).toEqual({});
  });
});
