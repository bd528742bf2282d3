import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEADROOM_CALLS, HEADROOM_IDLE_MS, headroomFor } from '../../../../server/core/accounting/headroom.js';
import { Ledger, type Reservation } from '../../../../server/core/accounting/ledger.js';
import { GatewayUsageBook } from '../../../../server/features/gateway/gateway-usage.js';
import type { IssuedKeyRecord } from '../../../../server/features/gateway/issued-keys.js';
import { createLogger } from '../../../../server/core/log/logger.js';

import { FakeClock } from '../../../helpers/fake-clock.js';
import { crashCopy, makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';
import { withFailingJournal } from '../../../helpers/failing-store.js';
import { type AppStore, openAppStore } from '../../../../server/app-state.js';

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
  let store: AppStore;
  let clock: FakeClock;
  const crashes: TempDir[] = [];
  const make = (capUsd = 100, on: AppStore = store) => new Ledger({ store: on, clock, logger, capUsd, alertFraction: 0.8, wayOut: '' });
  /** kill -9 now: a fresh store on what is on disk, and its ledger after recovery. */
  const crash = async (capUsd = 100) => {
    const copy = await crashCopy(dir.path);
    crashes.push(copy);
    const reopened = await openAppStore({ dataDir: copy.path, flushIntervalMs: 3_600_000, clock, logger });
    const ledger = make(capUsd, reopened);
    return { store: reopened, ledger, recovered: ledger.recover() };
  };

  beforeEach(async () => {
    dir = await makeTempDir('labcoat-headroom-');
    clock = new FakeClock(`${DAY}T12:00:00Z`);
    store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 3_600_000, clock, logger });
  });
  afterEach(async () => {
    await store.close();
    await dir.cleanup();
    await Promise.all(crashes.splice(0).map((c) => c.cleanup()));
  });

  it('covers an issued key’s next 31 calls with the line of its first: they leave without waiting for a write', async () => {
    const ledger = make();
    const first = ledger.reserve(0.001, keyed);
    await ledger.persist(first);
    ledger.settle(first, actual(0.0004), keyed);
    for (let i = 0; i < HEADROOM_CALLS; i++) {
      const r = ledger.reserve(0.001, keyed);
      expect(r.written).toBe(first.written); // covered by the line already on disk
      ledger.settle(r, actual(0.0004), keyed);
    }
    expect(ledger.usage()).toMatchObject({ spent_usd_today: 0.0128, reserved_usd: 0 }); // the headroom is used up
    expect(ledger.reserve(0.001, keyed).written).not.toBe(first.written);
    // A visitor's session (no issued key) never gets headroom: each paid call waits for its own line.
    const a = ledger.reserve(0.001, { model: 'paid/model', session: 's1', key: null });
    await a.written;
    const b = ledger.reserve(0.001, { model: 'paid/model', session: 's1', key: null });
    expect(b.written).not.toBe(a.written);
  });

  it('after a crash charges every call that may have left at its worst case, and no settled call again', async () => {
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
    await ledger.durable(); // the three settlements were reported: they are on disk

    const after = await crash();
    const charged = after.ledger.usage().spent_usd_today;
    // 14 answers at their price; the headroom as its last line left it: the 2 calls it covered that were
    // cut off at their worst case, and its unused rest (16 calls' worth).
    expect(charged).toBeCloseTo(14 * 0.0004 + 2 * 0.001 + 16 * 0.001, 10);
    expect(after.store.data.ledger.days[DAY]!.by_key.key_a).toMatchObject({ usd: charged, calls: 14 }); // headroom is money, not a call
    expect(after.ledger.usage().reserved_usd).toBe(0);
    const book = new GatewayUsageBook({ store: after.store, clock });
    book.chargeRecovered(after.recovered);
    expect(book.rows({ key: 'key_a' })).toEqual([expect.objectContaining({ requests: 0, errors: 0, usd: 0.018 })]);
  });

  it('keeps holding what calls in flight drew when their headroom goes back, until they settle; a crash meanwhile charges just those', async () => {
    const ledger = make();
    const first = ledger.reserve(0.001, keyed);
    await ledger.persist(first);
    ledger.settle(first, actual(0.0004), keyed);
    const inFlight = [ledger.reserve(0.001, keyed), ledger.reserve(0.001, keyed)];
    clock.advance(HEADROOM_IDLE_MS + 1);
    expect(ledger.usage().reserved_usd).toBeCloseTo(0.002, 10); // the unused rest went back, the two calls stay held
    await ledger.durable();
    const crashed = await crash();
    expect(crashed.ledger.usage().spent_usd_today).toBeCloseTo(0.0004 + 0.002, 10);
    for (const r of inFlight) ledger.settle(r, actual(0.0003), keyed);
    expect(ledger.usage()).toMatchObject({ reserved_usd: 0, spent_usd_today: 0.001 });
    expect(store.data.ledger.reservations).toEqual({});
  });

  it('charges a headroom line that only reached the journal in full', async () => {
    const ledger = make();
    await ledger.persist(ledger.reserve(0.001, keyed));
    const after = await crash(); // state.json never saw the reservation or its headroom
    expect(after.recovered).toHaveLength(2);
    expect(after.ledger.usage().spent_usd_today).toBeCloseTo(0.001 + 0.031, 10);
  });

  it('150 finished paid calls on several keys, then a crash: nothing more is charged than the headroom then held', async () => {
    const ledger = make(3);
    const keys = ['k1', 'k2', 'k3'].map((key) => ({ model: 'paid/model', session: null, key }));
    for (let i = 0; i < 150; i++) {
      const booking = keys[i % 3]!;
      const r = ledger.reserve(0.001, booking);
      await ledger.persist(r);
      ledger.settle(r, actual(0.00002), booking);
      if (i === 70) await store.flush(); // state.json written once in the middle
      if (i % 40 === 39) clock.advance(HEADROOM_IDLE_MS + 1); // headroom given back and opened again
    }
    await ledger.durable();
    const before = ledger.usage();
    const after = (await crash(3)).ledger.usage();
    expect(after.spent_usd_today).toBeCloseTo(before.spent_usd_today + before.reserved_usd, 10);
    expect(after.spent_usd_today - before.spent_usd_today).toBeLessThanOrEqual(0.05 * 3); // the documented headroom bound
  });

  it('never charges past the cap after a crash at any moment of a busy day (16 keys, cap $3)', async () => {
    const cap = 3;
    const ledger = make(cap);
    const keys = Array.from({ length: 16 }, (_, i) => ({ model: 'paid/model', session: null, key: `k${i}` }));
    let open: Array<{ r: Reservation; b: (typeof keys)[number] }> = [];
    let refused = 0;
    for (let step = 0; step < 3000; step++) {
      const b = keys[step % 16]!;
      try {
        open.push({ r: ledger.reserve(0.004, b), b });
      } catch {
        refused++;
      }
      if (open.length > 24) {
        const done = open.splice(0, 8);
        for (const { r, b: booking } of done) ledger.settle(r, actual(0.003), booking);
      }
      if (step % 500 === 250) await store.flush();
      if (step % 97 === 0) clock.advance(HEADROOM_IDLE_MS + 1);
    }
    await ledger.durable();
    expect(refused).toBeGreaterThan(0); // the cap was reached
    const before = ledger.usage();
    const after = (await crash(cap)).ledger.usage();
    expect(after.spent_usd_today).toBeLessThanOrEqual(cap);
    expect(after.spent_usd_today).toBeCloseTo(before.spent_usd_today + before.reserved_usd, 10);
    open = [];
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
    // The key's limits go with each reservation as data, read when it is decided.
    const first = ledger.reserve(0.001, keyed, record);
    await ledger.persist(first);
    ledger.settle(first, actual(0.0005), keyed);
    record.daily_usd = 0.0015; // the owner lowers the limit: 0.0005 spent, room for one more worst case
    const second = ledger.reserve(0.001, keyed, record);
    await ledger.persist(second);
    expect(second.written).not.toBe(first.written); // its own line: the headroom went back
    ledger.settle(second, actual(0.0005), keyed);
    expect(() => ledger.reserve(0.001, keyed, record)).toThrow(expect.objectContaining({ code: 'key_daily_limit' }));
  });

  it('gives the headroom back when its line cannot be written, and every call that drew on it fails too', async () => {
    const failing = new Ledger({ store: withFailingJournal(store), clock, logger, capUsd: 100, alertFraction: 0.8, wayOut: '' });
    const first = failing.reserve(0.001, keyed);
    const drawn = failing.reserve(0.001, keyed); // before the write failed
    const results = await Promise.allSettled([failing.persist(first), failing.persist(drawn)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of [first, drawn] as Reservation[]) failing.release(r);
    expect(failing.usage().reserved_usd).toBe(0);
    expect(store.data.ledger.reservations).toEqual({});
  });
});
