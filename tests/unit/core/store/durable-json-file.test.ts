import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptFileError, DurableJsonFile, syncDirectory } from '../../../../server/core/store/durable-json-file.js';
import { makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await dir.cleanup();
});

const pretty = (d: unknown) => JSON.stringify(d, null, 2);

describe('DurableJsonFile', () => {
  it('reads null when the file does not exist', async () => {
    const file = new DurableJsonFile<{ a: number }>(join(dir.path, 'state.json'), pretty);
    expect(await file.read()).toBeNull();
  });

  it('writes with the serializer, owner-only, leaves no temp file, and reads back', async () => {
    const path = join(dir.path, 'state.json');
    const file = new DurableJsonFile<{ a: number; b: string[] }>(path, pretty);
    await file.write({ a: 1, b: ['x'] });
    expect(await readFile(path, 'utf8')).toBe(pretty({ a: 1, b: ['x'] }));
    expect(await file.read()).toEqual({ a: 1, b: ['x'] });
    expect(await readdir(dir.path)).toEqual(['state.json']);
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('replaces the old content whole', async () => {
    const path = join(dir.path, 'state.json');
    const file = new DurableJsonFile<Record<string, unknown>>(path, (d) => JSON.stringify(d));
    await file.write({ long: 'x'.repeat(1000) });
    await file.write({ short: 1 });
    expect(await readFile(path, 'utf8')).toBe('{"short":1}');
  });

  it('throws CorruptFileError with the parser’s reason for text that is not JSON', async () => {
    const path = join(dir.path, 'state.json');
    await writeFile(path, '{"a": 1,');
    const file = new DurableJsonFile(path, pretty);
    const err = await file.read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptFileError);
    expect((err as CorruptFileError).path).toBe(path);
    expect((err as CorruptFileError).name).toBe('CorruptFileError');
    expect((err as CorruptFileError).message).not.toBe('the file is empty');
  });

  it('says "the file is empty" for an empty or blank file', async () => {
    const path = join(dir.path, 'state.json');
    await writeFile(path, '  \n');
    const err = await new DurableJsonFile(path, pretty).read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptFileError);
    expect((err as Error).message).toBe('the file is empty');
  });

  it('rethrows read errors other than a missing file (a directory in its place)', async () => {
    const file = new DurableJsonFile(dir.path, pretty);
    const err = await file.read().catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(CorruptFileError);
    expect((err as NodeJS.ErrnoException).code).toBe('EISDIR');
  });

  it('removes its own stale temp files only', async () => {
    const path = join(dir.path, 'state.json');
    const file = new DurableJsonFile(path, pretty);
    await file.write({ live: true });
    await writeFile(join(dir.path, '.state.json.abc123.tmp'), 'half');
    await writeFile(join(dir.path, '.state.json.def456.tmp'), 'half');
    await writeFile(join(dir.path, '.other.json.abc.tmp'), 'not ours');
    await writeFile(join(dir.path, '.state.json.keep'), 'not a temp file');
    expect(await file.removeStaleTempFiles()).toBe(2);
    expect((await readdir(dir.path)).sort()).toEqual(['.other.json.abc.tmp', '.state.json.keep', 'state.json']);
    expect(await file.read()).toEqual({ live: true });
  });

  it('does not leave a temp file when the rename fails', async () => {
    // The target is a non-empty directory: the rename over it fails.
    const path = join(dir.path, 'state.json');
    await mkdir(path);
    await writeFile(join(path, 'inside'), 'x');
    const file = new DurableJsonFile(path, pretty);
    await expect(file.write({ a: 1 })).rejects.toThrow();
    expect((await readdir(dir.path)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('syncDirectory', () => {
  it('syncs an existing directory and ignores a missing one', async () => {
    await expect(syncDirectory(dir.path)).resolves.toBeUndefined();
    await expect(syncDirectory(join(dir.path, 'missing'))).resolves.toBeUndefined();
  });
});
