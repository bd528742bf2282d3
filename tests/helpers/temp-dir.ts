import { cp, mkdtemp, rm } from 'node:fs/promises';
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
 * A crash, in-process: the data dir's files as they are on disk at this instant, copied into a
 * new dir that a fresh store opens. What was not written (a store's pending state.json write, an
 * unsynced journal line) is not there, exactly as after kill -9.
 */
export async function crashCopy(dataDir: string): Promise<TempDir> {
  const copy = await makeTempDir('labcoat-crash-');
  await cp(dataDir, copy.path, { recursive: true });
  return copy;
}
