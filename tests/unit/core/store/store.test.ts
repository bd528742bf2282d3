import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { StoreError, STATE_FILE, type Migration } from '../../../../server/core/store/store.js';
import { CURRENT_SCHEMA_VERSION, emptyState, type AppStore, openAppStore } from '../../../../server/app-state.js';
import { seal } from '../../../../server/core/secrets/seal.js';
import { REDACTED } from '../../../../server/core/store/secret-guard.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { makeTempDir } from '../../../helpers/temp-dir.js';

const logger = pino({ level: 'silent' });
let dir: { path: string; cleanup(): Promise<void> };
let store: AppStore | undefined;
const open = (extra: Partial<Parameters<typeof openAppStore>[0]> = {}) =>
  openAppStore({ dataDir: dir.path, flushIntervalMs: 20, clock: new FakeClock(), logger, ...extra });
const onDisk = async () => JSON.parse(await readFile(join(dir.path, STATE_FILE), 'utf8'));

beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  await dir.cleanup();
});

describe('store', () => {
  it('starts empty at the current schema version and persists updates', async () => {
    store = await open();
    expect(store.data.schema_version).toBe(CURRENT_SCHEMA_VERSION);
    store.update((s) => void (s.job_stats.demo = { avg_ms: 5, count: 1 }));
    await store.flush();
    expect((await onDisk()).job_stats.demo).toEqual({ avg_ms: 5, count: 1 });
    await store.close();
    store = await open();
    expect(store.data.job_stats.demo).toEqual({ avg_ms: 5, count: 1 });
  });

  it('flush() waits for what changed before it, not for a quiet moment that never comes', async () => {
    store = await open({ flushIntervalMs: 1000 });
    const s = store;
    s.update((st) => void (st.job_stats.before = { avg_ms: 1, count: 1 }));
    let busy = true;
    const churn = () => {
      if (!busy) return;
      s.update((st) => void (st.job_stats.churn = { avg_ms: Math.random(), count: 1 }));
      setImmediate(churn);
    };
    churn();
    const writesBefore = s.stats().writes;
    await s.flush(); // with updates arriving all the time, this still returns
    busy = false;
    expect(s.stats().writes - writesBefore).toBeLessThanOrEqual(2);
    expect((await onDisk()).job_stats.before).toEqual({ avg_ms: 1, count: 1 });
  });

  it('coalesces a burst of 10,000 updates into a handful of writes', async () => {
    store = await open();
    for (let i = 0; i < 10_000; i++) store.update((s) => void (s.job_stats[`k${i % 100}`] = { avg_ms: i, count: i }));
    await store.flush();
    expect(store.stats().writes).toBeLessThanOrEqual(2);
    expect((await onDisk()).job_stats.k99).toEqual({ avg_ms: 9999, count: 9999 });
  });

  it('writes on its own after the flush interval, and flushes pending updates on close', async () => {
    store = await open({ flushIntervalMs: 10 });
    store.update((s) => void (s.job_stats.a = { avg_ms: 1, count: 1 }));
    // Nobody calls flush(): the timer must write by itself (waited for, never timed).
    await vi.waitFor(() => expect(store!.stats().writes).toBe(1), { timeout: 10_000, interval: 10 });
    store.update((s) => void (s.job_stats.b = { avg_ms: 2, count: 1 }));
    await store.close();
    expect((await onDisk()).job_stats.b).toEqual({ avg_ms: 2, count: 1 });
  });

  it('never writes a secret-named field in clear text, and still writes the rest', async () => {
    store = await open();
    const key = Buffer.alloc(32, 7);
    store.update((s) => {
      (s as unknown as Record<string, unknown>).leak = { api_key: 'sk-or-v1-plaintext', admin_token: 'plain', sealed_secret: seal('sk-hidden', key) };
      s.job_stats.kept = { avg_ms: 1, count: 1 };
    });
    await store.flush();
    const text = await readFile(join(dir.path, STATE_FILE), 'utf8');
    expect(text).not.toContain('sk-or-v1-plaintext');
    expect(text).not.toContain('"plain"');
    expect(text).not.toContain('sk-hidden');
    const disk = JSON.parse(text);
    expect(disk.leak.api_key).toBe(REDACTED);
    expect(disk.leak.sealed_secret).toMatch(/^enc:v1:/);
    expect(disk.job_stats.kept).toEqual({ avg_ms: 1, count: 1 });
  });

  it('refuses a corrupt file: stops with a message and a backup, never replaces it', async () => {
    await writeFile(join(dir.path, STATE_FILE), '{"schema_version": 1, "jobs": {');
    const err = await open().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    const { message, backupPath } = err as StoreError;
    expect(message).toContain('is not valid JSON');
    expect(message).toContain(backupPath!);
    expect(await readFile(backupPath!, 'utf8')).toBe('{"schema_version": 1, "jobs": {');
    expect(await readFile(join(dir.path, STATE_FILE), 'utf8')).toBe('{"schema_version": 1, "jobs": {');
  });

  it('refuses JSON that is not a state file, and a file from a newer version', async () => {
    await writeFile(join(dir.path, STATE_FILE), '[1,2,3]');
    await expect(open()).rejects.toThrow(/not a Labcoat state file/);
    await writeFile(join(dir.path, STATE_FILE), JSON.stringify({ schema_version: CURRENT_SCHEMA_VERSION + 1 }));
    await expect(open()).rejects.toThrow(/newer Labcoat/);
  });

  it('migrates an older file step by step and keeps a backup of the original', async () => {
    const original = JSON.stringify({ schema_version: 1, created_at: 'x', sessions: {}, jobs: {}, job_stats: {} });
    await writeFile(join(dir.path, STATE_FILE), original);
    const migrations: Migration[] = [
      { to: 3, up: (s) => ({ ...s, third: true }) },
      { to: 2, up: (s) => ({ ...s, second: true }) },
    ];
    store = await open({ document: { empty: emptyState, migrations, version: 3 } });
    const disk = await onDisk();
    expect(disk).toMatchObject({ schema_version: 3, second: true, third: true });
    expect(await readFile(join(dir.path, `${STATE_FILE}.v1.bak`), 'utf8')).toBe(original);
  });

  it('stops with a clear message when DATA_DIR is not writable', async () => {
    const blocker = join(dir.path, 'a-file');
    await writeFile(blocker, 'x');
    await expect(open({ dataDir: join(blocker, 'data') })).rejects.toThrow(/is not writable \(ENOTDIR\)\. Point DATA_DIR/);
  });

  it('removes temp files left by a write that was killed', async () => {
    await mkdir(dir.path, { recursive: true });
    await writeFile(join(dir.path, `.${STATE_FILE}.abc123.tmp`), '{"half');
    store = await open();
    expect((await readdir(dir.path)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
