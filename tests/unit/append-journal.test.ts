import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../server/accounting/ledger.js';
import { GatewayUsageBook } from '../../server/gateway/gateway-usage.js';
import type { JournalReservation } from '../../server/accounting/ledger-state.js';
import { createLogger } from '../../server/log/logger.js';
import { AppendJournal } from '../../server/store/append-journal.js';
import { openStore } from '../../server/store/store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

let dir: TempDir;
beforeEach(async () => void (dir = await makeTempDir('labcoat-journal-')));
afterEach(async () => dir.cleanup());

describe('append journal', () => {
  it('groups appends that arrive together into one synced write, and reads them back', async () => {
    const path = join(dir.path, 'j');
    const { journal, entries } = await AppendJournal.open<{ seq: number; v: string }>(path);
    expect(entries).toEqual([]);
    await Promise.all(Array.from({ length: 100 }, (_, i) => journal.append({ seq: i + 1, v: `x${i}` })));
    expect(journal.stats().writes).toBeLessThanOrEqual(2);
    await journal.append({ seq: 101, v: 'alone' });
    await journal.close();
    const again = await AppendJournal.open<{ seq: number; v: string }>(path);
    expect(again.entries.map((e) => e.seq)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    await again.journal.compact(100);
    await again.journal.append({ seq: 102, v: 'after compaction' });
    await again.journal.close();
    expect((await AppendJournal.open<{ seq: number }>(path)).entries.map((e) => e.seq)).toEqual([101, 102]);
  });

  it('ignores a line torn by a crash mid-append', async () => {
    const path = join(dir.path, 'j');
    const { journal } = await AppendJournal.open<{ seq: number }>(path);
    await journal.append({ seq: 1 });
    await journal.close();
    await appendFile(path, '{"seq": 2, "us');
    expect((await AppendJournal.open<{ seq: number }>(path)).entries).toEqual([{ seq: 1 }]);
  });
});

describe('reservations journal', () => {
  it('charges a reservation that reached only the journal before a crash', async () => {
    const clock = new FakeClock('2026-11-23T12:00:00Z');
    const logger = createLogger('silent');
    const path = join(dir.path, 'reservations.journal');
    const store = await openStore({ dataDir: dir.path, flushIntervalMs: 60_000, clock, logger });
    store.update(() => undefined);
    await store.flush(); // state.json as it was before the call
    const { journal } = await AppendJournal.open<JournalReservation>(path);
    const ledger = new Ledger({ store, clock, logger, capUsd: 1, alertFraction: 0.8, wayOut: '', journal });
    const r = ledger.reserve(0.25, { model: 'paid/model', session: null, key: 'key_a' });
    await ledger.persist(r);
    expect(JSON.parse(await readFile(join(dir.path, 'state.json'), 'utf8')).ledger.reservations).toEqual({}); // the crash: state.json never saw it
    await journal.close();

    const reopened = await openStore({ dataDir: dir.path, flushIntervalMs: 60_000, clock, logger });
    const { entries } = await AppendJournal.open<JournalReservation>(path);
    const after = new Ledger({ store: reopened, clock, logger, capUsd: 1, alertFraction: 0.8, wayOut: '' });
    const charged = after.recover(entries);
    expect(charged).toHaveLength(1);
    expect(after.usage()).toMatchObject({ spent_usd_today: 0.25, reserved_usd: 0 });
    expect(reopened.data.ledger.days['2026-11-23']!.by_key.key_a!.usd).toBe(0.25);
    // The key's billing record shows the charge too, as a failed request on its day.
    new GatewayUsageBook({ store: reopened, clock }).chargeRecovered(charged);
    expect(new GatewayUsageBook({ store: reopened, clock }).rows({ key: 'key_a' })).toEqual([{ day: '2026-11-23', key_id: 'key_a', model: 'paid/model', requests: 1, tokens_in: 0, tokens_out: 0, usd: 0.25, errors: 1 }]);
    // Entries the state already holds are not charged twice.
    expect(new Ledger({ store: reopened, clock, logger, capUsd: 1, alertFraction: 0.8, wayOut: '' }).recover(entries)).toEqual([]);
    await reopened.close();
  });
});
