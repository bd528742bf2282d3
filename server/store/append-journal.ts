/**
 * An append-only file of JSON lines, each on disk (fdatasync) before its append resolves. Appends
 * that arrive together share one write and one sync (group commit), so a burst of paid calls costs
 * one disk flush, not one each. This is what lets a reservation reach the disk before its call
 * leaves without rewriting the whole state file every time.
 */
import { open, readFile, rename, writeFile, type FileHandle } from 'node:fs/promises';

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
      const keep = (await this.read()).filter((e) => e.seq > afterSeq);
      const tmp = `${this.path}.tmp`;
      await writeFile(tmp, keep.map((e) => `${JSON.stringify(e)}\n`).join(''));
      await this.handle?.close();
      await rename(tmp, this.path);
      this.handle = await open(this.path, 'a');
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
