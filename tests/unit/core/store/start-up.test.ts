import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  ensureWritableDir,
  migrate,
  type Migration,
  refuseUnreadable,
  replayJournal,
  setAsideOrphanJournal,
  StoreError,
} from '../../../../server/core/store/start-up.js';
import { CorruptFileError } from '../../../../server/core/store/durable-json-file.js';
import type { ChangeEntry } from '../../../../server/core/store/change-log.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';

const STAMP = '2026-01-15T12-00-00-000Z'; // FakeClock's start, made safe for a file name
let dir: TempDir;
let clock: FakeClock;
beforeEach(async () => {
  dir = await makeTempDir();
  clock = new FakeClock();
});
afterEach(async () => {
  await dir.cleanup();
});

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

describe('ensureWritableDir', () => {
  it('creates a missing folder (nested) and leaves no probe behind', async () => {
    const target = join(dir.path, 'a', 'b');
    await ensureWritableDir(target);
    expect(await readdir(target)).toEqual([]);
  });

  it('refuses a path that is a file, with a message that says what to do', async () => {
    const file = join(dir.path, 'not-a-dir');
    await writeFile(file, 'x');
    const err = await ensureWritableDir(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).name).toBe('StoreError');
    expect((err as Error).message).toContain(`DATA_DIR ${file} is not writable (`);
    expect((err as Error).message).toContain('Point DATA_DIR at a directory');
  });
});

describe('refuseUnreadable', () => {
  it('copies a corrupt file aside and says where the copy is', async () => {
    const path = join(dir.path, 'state.json');
    await writeFile(path, '{ torn');
    const err = await refuseUnreadable(path, new CorruptFileError(path, 'Unexpected token'), clock);
    const backup = `${path}.corrupt-${STAMP}.bak`;
    expect(err).toBeInstanceOf(StoreError);
    expect(err.backupPath).toBe(backup);
    expect(err.message).toContain('is not valid JSON (Unexpected token)');
    expect(err.message).toContain(`A copy is at ${backup}`);
    expect(await readFile(backup, 'utf8')).toBe('{ torn');
    expect(await readFile(path, 'utf8')).toBe('{ torn'); // the original is never replaced
  });

  it('for any other read error names the code, makes no copy', async () => {
    const path = join(dir.path, 'state.json');
    await writeFile(path, '{}');
    const denied = Object.assign(new Error('permission denied'), { code: 'EACCES' });
    const err = await refuseUnreadable(path, denied, clock);
    expect(err.backupPath).toBeUndefined();
    expect(err.message).toBe(`Cannot read ${path} (EACCES). Check its permissions; Labcoat did not start so that nothing is overwritten.`);
    expect(await readdir(dir.path)).toEqual(['state.json']);
  });

  it('falls back to the message when the error has no code', async () => {
    const err = await refuseUnreadable('/x/state.json', new Error('boom'), clock);
    expect(err.message).toContain('Cannot read /x/state.json (boom)');
  });
});

describe('migrate', () => {
  let path: string;
  const steps: Migration[] = [
    { to: 3, up: (s) => ({ ...s, three: true, order: [...((s.order as string[]) ?? []), '3'] }) },
    { to: 2, up: (s) => ({ ...s, two: true, order: [...((s.order as string[]) ?? []), '2'] }) },
  ];
  beforeEach(async () => {
    path = join(dir.path, 'state.json');
  });

  it('leaves a current file alone: no copy, not changed', async () => {
    const raw = { schema_version: 3, keep: 1 };
    await writeFile(path, JSON.stringify(raw));
    const out = await migrate(raw, path, 3, steps, clock);
    expect(out).toEqual({ state: raw, changed: false, from: 3 });
    expect(await readdir(dir.path)).toEqual(['state.json']);
  });

  it('runs the steps above the file’s version in order and keeps a .v<N>.bak copy', async () => {
    const raw = { schema_version: 1, keep: 1 };
    await writeFile(path, JSON.stringify(raw));
    const out = await migrate(raw, path, 3, steps, clock);
    expect(out.changed).toBe(true);
    expect(out.from).toBe(1);
    expect(out.state).toEqual({ schema_version: 3, keep: 1, two: true, three: true, order: ['2', '3'] });
    expect(JSON.parse(await readFile(`${path}.v1.bak`, 'utf8'))).toEqual(raw);
  });

  it('skips steps the file already has', async () => {
    const raw = { schema_version: 2 };
    await writeFile(path, JSON.stringify(raw));
    const out = await migrate(raw, path, 3, steps, clock);
    expect(out.state).toEqual({ schema_version: 3, three: true, order: ['3'] });
    expect(await readdir(dir.path)).toContain('state.json.v2.bak');
  });

  it('throws when the migrations do not reach the current version', async () => {
    const raw = { schema_version: 1 };
    await writeFile(path, JSON.stringify(raw));
    await expect(migrate(raw, path, 4, steps, clock)).rejects.toThrow(new StoreError(`No migration path from schema 1 to 4 for ${path}.`));
  });

  it('refuses a file written by a newer version', async () => {
    const raw = { schema_version: 9 };
    await writeFile(path, JSON.stringify(raw));
    const err = await migrate(raw, path, 3, steps, clock).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toContain('written by a newer Labcoat (schema 9, this one reads up to 3)');
    expect(await readdir(dir.path)).toEqual(['state.json']);
  });

  it.each([
    ['an array', []],
    ['no schema_version', { a: 1 }],
    ['a fractional schema_version', { schema_version: 1.5 }],
    ['a string schema_version', { schema_version: '3' }],
  ])('copies aside JSON that is not a state file (%s)', async (_name, raw) => {
    await writeFile(path, JSON.stringify(raw));
    const err = (await migrate(raw as Record<string, unknown>, path, 3, steps, clock).catch((e: unknown) => e)) as StoreError;
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toContain('not a Labcoat state file');
    expect(err.backupPath).toBe(`${path}.corrupt-${STAMP}.bak`);
    expect(await readFile(err.backupPath!, 'utf8')).toBe(JSON.stringify(raw));
  });
});

describe('setAsideOrphanJournal', () => {
  it('moves a journal that starts past line 1 aside and warns', async () => {
    const path = join(dir.path, 'state.journal');
    await writeFile(path, `${JSON.stringify({ seq: 5, ops: [] })}\n`);
    const { logger, lines } = capturingLogger();
    await setAsideOrphanJournal(path, clock, logger);
    expect(await readdir(dir.path)).toEqual([`state.journal.orphan-${STAMP}`]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, kept_at: `${path}.orphan-${STAMP}` });
  });

  it('keeps a journal that starts at line 1 (a first start cut short)', async () => {
    const path = join(dir.path, 'state.journal');
    await writeFile(path, `${JSON.stringify({ seq: 1, ops: [] })}\n${JSON.stringify({ seq: 2, ops: [] })}\n`);
    const { logger, lines } = capturingLogger();
    await setAsideOrphanJournal(path, clock, logger);
    expect(await readdir(dir.path)).toEqual(['state.journal']);
    expect(lines).toEqual([]);
  });

  it('does nothing when there is no journal, or it is empty', async () => {
    const { logger, lines } = capturingLogger();
    const path = join(dir.path, 'state.journal');
    await setAsideOrphanJournal(path, clock, logger);
    await writeFile(path, '');
    await setAsideOrphanJournal(path, clock, logger);
    expect(await readdir(dir.path)).toEqual(['state.journal']);
    expect(lines).toEqual([]);
  });
});

describe('replayJournal', () => {
  it('applies only the lines newer than state.json, in order', () => {
    const state: Record<string, unknown> = { jobs: { a: { n: 1 } } };
    const entries: ChangeEntry[] = [
      { seq: 3, ops: [[['jobs', 'a'], { n: 3 }]] }, // already in state.json
      { seq: 4, ops: [[['jobs', 'b'], { n: 4 }]] },
      { seq: 5, ops: [[['jobs', 'b', 'n'], 5]] },
      { seq: 6, ops: [[['jobs', 'a']]] },
    ];
    expect(replayJournal(state, entries, 3)).toEqual({ seq: 6, applied: 3, skipped: 0 });
    expect(state).toEqual({ jobs: { b: { n: 5 } } });
  });

  it('skips out-of-order lines and lines without ops', () => {
    const state: Record<string, unknown> = {};
    const entries = [
      { seq: 2, ops: [[['x'], 2]] },
      { seq: 1, ops: [[['x'], 1]] }, // older than the last applied
      { seq: 3 }, // no ops: torn or foreign
      { seq: 4, ops: 'nope' },
    ] as unknown as ChangeEntry[];
    expect(replayJournal(state, entries, 0)).toEqual({ seq: 2, applied: 1, skipped: 0 });
    expect(state).toEqual({ x: 2 });
  });

  it('counts ops whose parent is missing as skipped, never building half records', () => {
    const state: Record<string, unknown> = { jobs: {} };
    const entries: ChangeEntry[] = [
      {
        seq: 1,
        ops: [
          [['jobs', 'gone', 'status'], 'done'],
          [['jobs', 'ok'], { status: 'new' }],
        ],
      },
    ];
    expect(replayJournal(state, entries, 0)).toEqual({ seq: 1, applied: 1, skipped: 1 });
    expect(state).toEqual({ jobs: { ok: { status: 'new' } } });
  });

  it('returns the seen seq when nothing is newer', () => {
    const state = { a: 1 };
    expect(replayJournal(state, [{ seq: 1, ops: [[['a'], 2]] }], 7)).toEqual({ seq: 7, applied: 0, skipped: 0 });
    expect(state).toEqual({ a: 1 });
  });
});
