import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Holdings } from '../../../../server/core/accounting/holdings.js';
import { createLogger } from '../../../../server/core/log/logger.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';
import { type AppStore, openAppStore } from '../../../../server/app-state.js';

let dir: TempDir;
let store: AppStore;
const clock = new FakeClock('2026-03-31T12:00:00Z');
const keyed = { model: 'paid/model', session: null, key: 'key_a' };

beforeEach(async () => {
  dir = await makeTempDir('labcoat-holdings-');
  store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 0, clock, logger: createLogger('silent') });
});
afterEach(async () => {
  await store.close();
  await dir.cleanup();
});

describe('holdings: what the cap holds for calls in flight', () => {
  it('sums reservations per day and per key, and lets them go when they settle', () => {
    const h = new Holdings(store);
    const a = h.hold('2026-03-31', keyed, 0.5, clock.now());
    h.hold('2026-03-30', keyed, 0.25, clock.now());
    h.hold('2026-03-31', { ...keyed, key: null }, 0.1, clock.now());
    expect(h.reservedOn('2026-03-31')).toBe(0.6);
    expect([h.keyReservedOn('key_a', '2026-03-31'), h.keyReservedIn('key_a', '2026-03')]).toEqual([0.5, 0.75]);
    expect(store.data.ledger.reservations[a]).toMatchObject({ usd: 0.5, day: '2026-03-31', key: 'key_a', session: null });
    expect(h.unhold(a, () => false)?.record.usd).toBe(0.5);
    expect(h.unhold(a, () => false)).toBeUndefined(); // settled once
    expect(h.reservedOn('2026-03-31')).toBe(0.1);
    expect([h.keyReservedOn('key_a', '2026-03-31'), h.keyReservedIn('key_a', '2026-03')]).toEqual([0, 0.25]);
  });

  it('records a draw on headroom without holding more, and shrinks closed headroom to what calls in flight drew', () => {
    const h = new Holdings(store);
    const room = h.hold('2026-03-31', keyed, 0.03, clock.now(), true);
    const drawn = h.draw(room, keyed, 0.001, '2026-03-31', clock.now());
    expect(h.reservedOn('2026-03-31')).toBe(0.03);
    expect(store.data.ledger.reservations[drawn]).toMatchObject({ covered_by: room, usd: 0.001 });
    h.shrinkToDrawn(room);
    expect(h.reservedOn('2026-03-31')).toBe(0.001);
    expect(store.data.ledger.reservations[room]).toMatchObject({ usd: 0.001, drawn: 0.001, headroom: true });
    // The last draw settles: closed headroom with nothing left in it goes.
    expect(h.unhold(drawn, () => false)?.paths).toHaveLength(2);
    expect(h.reservedOn('2026-03-31')).toBe(0);
    expect(store.data.ledger.reservations).toEqual({});
  });
});
