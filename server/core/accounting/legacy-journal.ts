/**
 * Labcoat before the store's change journal kept reservations in a journal of its own. Lines in it
 * that state.json never saw are calls that may have left: they become reservations again, and
 * Ledger.recover() charges them like any other. The file goes once state.json holds them.
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../store/store.js';
import { readEntries } from '../store/append-journal.js';
import type { JournalReservation, LedgerSlice } from './ledger-state.js';

export const LEGACY_JOURNAL_FILE = 'reservations.journal';

/** Returns how many reservations it brought back. */
export async function importLegacyReservations(store: Store<LedgerSlice>, dataDir: string): Promise<number> {
  const path = join(dataDir, LEGACY_JOURNAL_FILE);
  const entries = await readEntries<JournalReservation>(path);
  const seen = store.data.ledger.journal_seq ?? 0;
  const missed = entries.filter((e) => e.seq > seen && !Object.hasOwn(store.data.ledger.reservations, e.id));
  store.update((s) => {
    for (const { seq: _seq, id, ...record } of missed) s.ledger.reservations[id] = record;
    delete s.ledger.journal_seq;
  });
  await store.flush();
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  return missed.length;
}
