import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  path: string;
  cleanup(): Promise<void>;
}

/** A fresh directory under the OS temp dir; cleanup() removes it and everything in it (idempotent). */
export async function makeTempDir(prefix = 'labcoat-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return {
    path,
    cleanup: () => rm(path, { recursive: true, force: true, maxRetries: 3 }),
  };
}

/**
 * A crash, in-process: the data dir's files as they are on disk now, copied into a new dir that a
 * fresh store opens. What was not written (a pending state.json write, an unsynced journal line)
 * is not there, as after kill -9. The journal is copied before state.json: a state.json written
 * meanwhile is only newer, while the other order could pair an old state.json with a journal
 * already compacted past it, which no real crash can leave.
 */
export async function crashCopy(dataDir: string): Promise<TempDir> {
  const copy = await makeTempDir('labcoat-crash-');
  const names = (await readdir(dataDir)).filter((n) => !n.endsWith('.tmp'));
  const order = [...names.filter((n) => n.endsWith('.journal')), ...names.filter((n) => !n.endsWith('.journal'))];
  for (const name of order) {
    await copyFile(join(dataDir, name), join(copy.path, name)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT' && err.code !== 'EISDIR') throw err;
    });
  }
  return copy;
}
