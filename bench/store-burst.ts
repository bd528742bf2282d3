import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { systemClock } from '../server/clock.js';
import { openStore, STATE_FILE } from '../server/store/store.js';

/** N small updates in one burst (as a batch run landing results): file writes and time until on disk. */
export async function storeBurst(updates: number): Promise<{ updates: number; writes: number; ms: number; fileKb: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'labcoat-bench-'));
  const store = await openStore({ dataDir: dir, flushIntervalMs: 250, clock: systemClock, logger: pino({ level: 'silent' }) });
  const t0 = performance.now();
  for (let i = 0; i < updates; i++) {
    store.update((s) => void (s.job_stats[`result-${i}`] = { avg_ms: i, count: 1 }));
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r)); // let timers run, as a real burst would
  }
  await store.flush();
  const ms = performance.now() - t0;
  const { writes } = store.stats();
  const fileKb = (await stat(join(dir, STATE_FILE))).size / 1024;
  await store.close();
  await rm(dir, { recursive: true, force: true });
  return { updates, writes, ms, fileKb };
}
