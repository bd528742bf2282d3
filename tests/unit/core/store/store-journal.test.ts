import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../server/core/log/logger.js';
import { applyOps, captureOps, recordPath } from '../../../../server/core/store/change-log.js';
import { JOURNAL_FILE, STATE_FILE } from '../../../../server/core/store/store.js';
import { CURRENT_SCHEMA_VERSION, type AppStore, openAppStore, emptyState } from '../../../../server/app-state.js';
import { importLegacyReservations, LEGACY_JOURNAL_FILE } from '../../../../server/core/accounting/legacy-journal.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { crashCopy, makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';

const logger = createLogger('silent');
const dirs: TempDir[] = [];
const stores: AppStore[] = [];
const clock = new FakeClock('2026-11-23T12:00:00Z');
/** A store that never writes state.json by itself during a test (only flush() does). */
async function open(dataDir: string): Promise<AppStore> {
  const store = await openAppStore({ dataDir, flushIntervalMs: 3_600_000, clock, logger });
  stores.push(store);
  return store;
}
async function dir(): Promise<string> {
  const d = await makeTempDir('labcoat-store-journal-');
  dirs.push(d);
  return d.path;
}
/** Reopens what is on disk now, as after kill -9. */
async function crashAndReopen(dataDir: string): Promise<AppStore> {
  const copy = await crashCopy(dataDir);
  dirs.push(copy);
  return open(copy.path);
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
  await Promise.all(dirs.splice(0).map((d) => d.cleanup()));
});

describe('change log paths', () => {
  it('captures values and deletes, and replays them only where their parent exists', () => {
    const from = { a: { b: { c: 1 } }, list: { x: { n: 1 } } };
    const ops = captureOps(from, [
      ['a', 'b', 'c'],
      ['list', 'gone'],
      ['list', 'x'],
    ]);
    expect(ops).toEqual([[['a', 'b', 'c'], 1], [['list', 'gone']], [['list', 'x'], { n: 1 }]]);
    const to: Record<string, unknown> = { a: { b: { c: 0 } }, list: { gone: 1 } };
    expect(applyOps(to, [...ops, [['missing', 'child'], 5], [['a', '__proto__'], { polluted: true }]])).toBe(2);
    expect(to).toEqual({ a: { b: { c: 1 } }, list: { x: { n: 1 } } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names the first new record on a path, so a new record is logged whole', () => {
    const root = { usage: { d1: { k1: {} } } };
    expect(recordPath(root, ['usage', 'd1', 'k1', 'm1'])).toEqual(['usage', 'd1', 'k1', 'm1']);
    expect(recordPath(root, ['usage', 'd1', 'k2', 'm1'])).toEqual(['usage', 'd1', 'k2']);
    expect(recordPath(root, ['usage', 'd2', 'k1', 'm1'])).toEqual(['usage', 'd2']);
  });
});

describe('the store’s change journal', () => {
  let dataDir: string;
  beforeEach(async () => void (dataDir = await dir()));

  it('brings back after a crash what was persisted since the last write of state.json', async () => {
    const store = await open(dataDir);
    store.update((s) => void (s.job_stats.before = { avg_ms: 1, count: 1 }));
    await store.flush();
    store.update((s) => {
      s.job_stats.persisted = { avg_ms: 2, count: 2 };
      s.job_stats.only_in_memory = { avg_ms: 3, count: 3 };
      delete s.job_stats.before;
    });
    await store.persist([
      ['job_stats', 'persisted'],
      ['job_stats', 'before'],
    ]);
    expect(JSON.parse(await readFile(join(dataDir, STATE_FILE), 'utf8')).job_stats.persisted).toBeUndefined(); // state.json never saw it
    expect((await stat(join(dataDir, JOURNAL_FILE))).mode & 0o777).toBe(0o600); // like state.json: only this user reads it

    const after = await crashAndReopen(dataDir);
    expect(after.data.job_stats).toEqual({ persisted: { avg_ms: 2, count: 2 } });
  });

  it('does not replay a change onto a record that was never durable, and does not build half records', async () => {
    const store = await open(dataDir);
    store.update((s) => void (s.research_runs.r1 = { id: 'r1' } as never));
    await store.persist([['research_runs', 'r1', 'goal']]); // the run itself was never logged
    const after = await crashAndReopen(dataDir);
    expect(after.data.research_runs).toEqual({});
  });

  it('empties the journal once state.json holds its lines, and keeps lines made during that write', async () => {
    const store = await open(dataDir);
    store.update((s) => void (s.job_stats.a = { avg_ms: 1, count: 1 }));
    await store.persist([['job_stats', 'a']]);
    expect((await readFile(join(dataDir, JOURNAL_FILE), 'utf8')).trim().split('\n')).toHaveLength(1);
    await store.flush();
    await store.durable();
    await waitFor(async () => (await readFile(join(dataDir, JOURNAL_FILE), 'utf8')) === '');
    // A line whose change state.json does not hold survives the compaction that a write starts.
    store.update((s) => void (s.job_stats.b = { avg_ms: 2, count: 2 }));
    const flushing = store.flush();
    store.update((s) => void (s.job_stats.c = { avg_ms: 3, count: 3 }));
    await store.persist([['job_stats', 'c']]);
    await flushing;
    const after = await crashAndReopen(dataDir);
    expect(after.data.job_stats.c).toEqual({ avg_ms: 3, count: 3 });
    expect(after.data.job_stats.b).toEqual({ avg_ms: 2, count: 2 });
  });

  it('shares one synced write among the lines of one turn, and durable() waits for all of them', async () => {
    const store = await open(dataDir);
    const before = store.stats().journal_writes;
    for (let i = 0; i < 50; i++) {
      store.update((s) => void (s.job_stats[`k${i}`] = { avg_ms: i, count: i }));
      void store.persist([['job_stats', `k${i}`]]);
    }
    await store.durable();
    expect(store.stats().journal_writes - before).toBe(1);
    const after = await crashAndReopen(dataDir);
    expect(Object.keys(after.data.job_stats)).toHaveLength(50);
  });

  it('replays only lines newer than state.json, so a crash between a write and its compaction changes nothing', async () => {
    const store = await open(dataDir);
    store.update((s) => void (s.job_stats.a = { avg_ms: 1, count: 1 }));
    await store.persist([['job_stats', 'a']]);
    const journal = await readFile(join(dataDir, JOURNAL_FILE), 'utf8');
    store.update((s) => void (s.job_stats.a = { avg_ms: 9, count: 9 }));
    await store.flush();
    await store.durable();
    await writeFile(join(dataDir, JOURNAL_FILE), journal); // as if the compaction never ran
    const after = await crashAndReopen(dataDir);
    expect(after.data.job_stats.a).toEqual({ avg_ms: 9, count: 9 });
  });

  it('replays lines written by an older version before migrating, so its records are migrated too', async () => {
    const store = await open(dataDir);
    store.update(() => undefined);
    await store.flush(); // state.json in this version's schema
    store.update((s) => void (s.job_stats.old = { avg_ms: 1, count: 1 }));
    await store.persist([['job_stats', 'old']]); // a line in this version's schema, never in state.json
    const copy = await crashCopy(dataDir);
    dirs.push(copy);
    const next = CURRENT_SCHEMA_VERSION + 1;
    const upgraded = await openAppStore({
      dataDir: copy.path,
      flushIntervalMs: 3_600_000,
      clock,
      logger,
      document: {
        empty: emptyState,
        version: next,
        migrations: [
          {
            to: next,
            up: (st: Record<string, unknown>) => ({
              ...st,
              job_stats: Object.fromEntries(Object.entries(st.job_stats as Record<string, object>).map(([k, v]) => [k, { ...v, migrated: true }])),
            }),
          },
        ],
      },
    });
    stores.push(upgraded);
    expect(upgraded.data.job_stats.old).toEqual({ avg_ms: 1, count: 1, migrated: true });
  });

  it('keeps a journal aside instead of replaying it onto nothing when state.json is missing', async () => {
    const store = await open(dataDir);
    store.update((s) => void (s.research_runs.r1 = { id: 'r1', goal: 'kept' } as never));
    await store.persist([['research_runs', 'r1']]);
    await store.flush();
    store.update((s) => void (s.research_runs.r1!.goal = 'changed'));
    await store.persist([['research_runs', 'r1', 'goal']]);
    const copy = await crashCopy(dataDir);
    dirs.push(copy);
    await rm(join(copy.path, STATE_FILE)); // the owner moved an unreadable state.json away
    const fresh = await open(copy.path);
    expect(fresh.data.research_runs).toEqual({});
    expect((await readdir(copy.path)).some((f) => f.startsWith(`${JOURNAL_FILE}.orphan-`))).toBe(true);
  });

  it('brings back reservations from the journal of earlier versions, once, and removes that file', async () => {
    const store = await open(dataDir);
    store.update((s) => void (s.ledger.journal_seq = 4));
    await store.flush();
    const line = (seq: number, id: string) =>
      JSON.stringify({ seq, id, usd: 0.25, day: '2026-11-23', at: 1, model: 'paid/model', session: null, key: 'key_a' });
    await writeFile(join(dataDir, LEGACY_JOURNAL_FILE), `${line(4, 'old')}\n${line(5, 'missed')}\n`);
    expect(await importLegacyReservations(store, dataDir)).toBe(1);
    expect(Object.keys(store.data.ledger.reservations)).toEqual(['missed']);
    expect(store.data.ledger.journal_seq).toBeUndefined();
    await expect(readFile(join(dataDir, LEGACY_JOURNAL_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await importLegacyReservations(store, dataDir)).toBe(0);
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('timed out');
}
