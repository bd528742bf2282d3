/**
 * An append-only file of JSON lines, each on disk (fdatasync) before its append resolves. Appends
 * that arrive together share one write and one sync (group commit), so a burst of paid calls costs
 * one disk flush, not one each. This is what lets a reservation reach the disk before its call
 * leaves without rewriting the whole state file every time.
 */
import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The reservations journal in DATA_DIR. */
export const JOURNAL_FILE = 'reservations.journal';

export interface JournalEntry {
  seq: number;
}

export class AppendJournal<T extends JournalEntry> {
  private handle: FileHandle | undefined;
  private queue: string[] = [];
  /** The batch that new appends join, until its write starts. */
  private batch: Promise<void> | undefined;
  /** File operations, one at a time: writes and compactions never overlap. */
  private chain: Promise<void> = Promise.resolve();
  private writes = 0;

  private constructor(private readonly path: string) {}

  /** Opens (creating) the journal, returning it and the entries already in it. */
  static async open<T extends JournalEntry>(path: string): Promise<{ journal: AppendJournal<T>; entries: T[] }> {
    const journal = new AppendJournal<T>(path);
    const entries = await journal.read();
    journal.handle = await open(path, 'a');
    return { journal, entries };
  }

  /** Resolves once the entry is on disk. */
  append(entry: T): Promise<void> {
    this.queue.push(`${JSON.stringify(entry)}\n`);
    this.batch ??= this.serial(() => this.drain());
    return this.batch;
  }

  /** Keeps only entries after `seq` (those the state file has not caught up with). */
  compact(afterSeq: number): Promise<void> {
    return this.serial(async () => {
      const entries = await this.read();
      const keep = entries.filter((e) => e.seq > afterSeq);
      if (keep.length === entries.length) return; // nothing to drop
      if (keep.length === 0) {
        await this.handle?.truncate(0);
        await this.handle?.sync();
        return;
      }
      // Rare (calls in flight during compaction): a synced copy replaces the file, then the directory is synced.
      const tmp = `${this.path}.tmp`;
      const copy = await open(tmp, 'w');
      try {
        await copy.writeFile(keep.map((e) => `${JSON.stringify(e)}\n`).join(''));
        await copy.sync();
      } finally {
        await copy.close();
      }
      await this.handle?.close();
      try {
        await rename(tmp, this.path);
        await syncDir(dirname(this.path));
      } finally {
        this.handle = await open(this.path, 'a'); // whatever happened, appends go on
      }
    });
  }

  stats(): { writes: number } {
    return { writes: this.writes };
  }

  close(): Promise<void> {
    return this.serial(async () => {
      await this.handle?.close();
      this.handle = undefined;
    });
  }

  private serial(op: () => Promise<void>): Promise<void> {
    const run = this.chain.catch(() => undefined).then(op);
    this.chain = run;
    return run;
  }

  private async drain(): Promise<void> {
    const lines = this.queue.join('');
    this.queue = [];
    this.batch = undefined; // appends from now on wait for the next write
    if (!this.handle) throw new Error('the journal is closed');
    await this.handle.appendFile(lines);
    await this.handle.datasync();
    this.writes++;
  }

  /** Entries in the file; a torn last line (a crash mid-append) is ignored. */
  private async read(): Promise<T[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: T[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as T);
      } catch {
        // only the last line can be torn (a crash mid-append); it never reached its caller as written
      }
    }
    return out;
  }
}

/** Makes a rename durable; some filesystems refuse fsync on a directory, which is fine. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // not supported here
  } finally {
    await handle.close();
  }
}
