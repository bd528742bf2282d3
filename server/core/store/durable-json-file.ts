import { open, readFile, rename, unlink, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Adapter } from 'lowdb';

/** The file held text that is not the JSON we wrote; carries the parser's reason. */
export class CorruptFileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(reason);
    this.name = 'CorruptFileError';
  }
}

/**
 * A lowdb adapter that writes atomically and durably: temp file in the same directory,
 * fsync, rename over the old file, fsync the directory. A crash at any point leaves
 * either the old file or the new one, never a torn mix. (lowdb's own adapter does not fsync.)
 */
export class DurableJsonFile<T> implements Adapter<T> {
  private readonly tempPrefix: string;

  constructor(
    readonly path: string,
    private readonly serialize: (data: T) => string,
  ) {
    this.tempPrefix = `.${basename(path)}.`;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new CorruptFileError(this.path, text.trim() === '' ? 'the file is empty' : (err as Error).message);
    }
  }

  async write(data: T): Promise<void> {
    const text = this.serialize(data);
    const temp = join(dirname(this.path), `${this.tempPrefix}${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'w', 0o600);
    try {
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    } catch (err) {
      // Disk full or similar: do not leave a temp file behind for every retry.
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    await syncDirectory(dirname(this.path));
  }

  /** Temp files left by a process killed mid-write: never the live file, safe to remove. */
  async removeStaleTempFiles(): Promise<number> {
    const names = await readdir(dirname(this.path));
    const stale = names.filter((n) => n.startsWith(this.tempPrefix) && n.endsWith('.tmp'));
    await Promise.all(stale.map((n) => unlink(join(dirname(this.path), n)).catch(() => undefined)));
    return stale.length;
  }
}

export async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable; some filesystems refuse fsync on a directory, which is fine.
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    /* not supported here */
  } finally {
    await handle.close();
  }
}
