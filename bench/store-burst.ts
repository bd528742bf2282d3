import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { systemClock } from '../server/core/clock.js';
import { STATE_FILE } from '../server/core/store/store.js';
import { percentile } from './stats.js';
import { openAppStore } from '../server/app-state.js';

/** N small updates in one burst (as a batch run landing results): file writes and time until on disk. */
export async function storeBurst(updates: number): Promise<{ updates: number; writes: number; ms: number; fileKb: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'labcoat-bench-'));
  const store = await openAppStore({ dataDir: dir, flushIntervalMs: 250, clock: systemClock, logger: pino({ level: 'silent' }) });
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

/**
 * What "durable before announced" costs in itself: one change line persisted and waited for, in
 * sequence (a paid call's settlement), and many at once (results landing together: group commit).
 */
export async function journalLines(sequential: number, together: number): Promise<{ p50Ms: number; p99Ms: number; together: number; writes: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'labcoat-bench-'));
  const store = await openAppStore({ dataDir: dir, flushIntervalMs: 250, clock: systemClock, logger: pino({ level: 'silent' }) });
  const ms: number[] = [];
  for (let i = 0; i < sequential; i++) {
    const t0 = performance.now();
    store.update((s) => void (s.job_stats[`line-${i % 50}`] = { avg_ms: i, count: 1 }));
    await store.persist([['job_stats', `line-${i % 50}`]]);
    ms.push(performance.now() - t0);
  }
  const before = store.stats().journal_writes;
  await Promise.all(
    Array.from({ length: together }, (_, i) => {
      store.update((s) => void (s.job_stats[`burst-${i}`] = { avg_ms: i, count: 1 }));
      return store.persist([['job_stats', `burst-${i}`]]);
    }),
  );
  const writes = store.stats().journal_writes - before;
  await store.close();
  await rm(dir, { recursive: true, force: true });
  return { p50Ms: percentile(ms, 50), p99Ms: percentile(ms, 99), together, writes };
}
