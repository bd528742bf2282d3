/**
 * An append-only file of JSON lines, each on disk before its append resolves. Appends made while
 * a write is under way share the next write (group commit), so a burst of changes costs one disk
 * flush, not one each. Lines reach the file in the order they were appended: when a line is on
 * disk, so is every line before it.
 */
import { constants } from 'node:fs';
import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDirectory } from './durable-json-file.js';

/** Where the OS has it, each write is synced as part of itself (O_DSYNC): one call to the thread pool, not two. */
const DSYNC = constants.O_DSYNC;
const APPEND_FLAGS = DSYNC === undefined ? 'a' : constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | DSYNC;

export interface JournalEntry {
  seq: number;
}

export class AppendJournal<T extends JournalEntry> {
  private handle: FileHandle | undefined;
  private queue: string[] = [];
  private queuedUpTo = 0;
  /** The batch that new appends join, until its write starts. */
  private batch: Promise<void> | undefined;
  /** The newest batch, written or not: when it resolves, every earlier line is on disk too. */
  private newest: Promise<void> = Promise.resolve();
  /** File operations, one at a time: writes and compactions never overlap. */
  private chain: Promise<void> = Promise.resolve();
  /** The last seq written to the file. */
  private writtenUpTo = 0;
  /** A write failed (a disk full, say): lines after it would follow a torn one, so appends wait for a compaction past it. */
  private broken: { error: Error; upTo: number } | undefined;
  private writes = 0;
  private closed = false;

  private constructor(
    private readonly path: string,
    private readonly stringify: (entry: T) => string,
  ) {}

  /** Opens (creating) the journal, returning it and the entries already in it. */
  static async open<T extends JournalEntry>(
    path: string,
    stringify: (entry: T) => string = (e) => JSON.stringify(e),
  ): Promise<{ journal: AppendJournal<T>; entries: T[] }> {
    const journal = new AppendJournal<T>(path, stringify);
    const entries = await readEntries<T>(path);
    journal.writtenUpTo = entries.reduce((max, e) => Math.max(max, e.seq), 0);
    journal.handle = await open(path, APPEND_FLAGS, 0o600); // 0600 like state.json: sealed keys and key hashes pass through it
    return { journal, entries };
  }

  /** Resolves once the entry (and every entry before it) is on disk. The entry is serialised now. */
  append(entry: T): Promise<void> {
    if (this.broken) {
      this.broken.upTo = Math.max(this.broken.upTo, entry.seq); // refused too: state.json must hold it before lines go on
      return Promise.reject(this.broken.error);
    }
    this.queue.push(`${this.stringify(entry)}\n`);
    this.queuedUpTo = Math.max(this.queuedUpTo, entry.seq);
    if (!this.batch) {
      // The store already makes one line per turn; appends made while a write runs join the next one.
      this.batch = Promise.resolve().then(() => this.serial(() => this.drain()));
      this.newest = this.batch;
    }
    return this.batch;
  }

  /** Resolves once every entry appended so far is on disk (rejects if one of them could not be written). */
  barrier(): Promise<void> {
    return this.newest;
  }

  /** Keeps only entries after `seq` (those the state file has not caught up with). */
  compact(afterSeq: number): Promise<void> {
    return this.serial(async () => {
      if (this.closed) return;
      // After a failed write only an empty or rewritten file is sure to hold no torn line.
      const mustRewrite = this.broken !== undefined;
      if (this.broken && afterSeq < this.broken.upTo) return; // state.json does not hold what the torn write carried yet
      if (this.writtenUpTo <= afterSeq && !mustRewrite) {
        const handle = await this.openHandle();
        await handle.truncate(0);
        await handle.sync();
      } else {
        const entries = await readEntries<T>(this.path);
        const keep = entries.filter((e) => e.seq > afterSeq);
        if (keep.length === entries.length && !mustRewrite) return; // nothing to drop
        await this.replaceWith(keep);
      }
      if (this.broken) {
        this.broken = undefined;
        this.newest = Promise.resolve(); // the failed batch no longer stands for what is on disk
      }
    });
  }

  /** Lines arrived during the state write: a synced copy replaces the file, then the directory is synced. */
  private async replaceWith(keep: readonly T[]): Promise<void> {
    const tmp = `${this.path}.tmp`;
    const copy = await open(tmp, 'w', 0o600);
    try {
      await copy.writeFile(keep.map((e) => `${this.stringify(e)}\n`).join(''));
      await copy.sync();
    } finally {
      await copy.close();
    }
    const old = this.handle;
    this.handle = undefined; // reopened by the next write, whatever happens here
    await old?.close();
    await rename(tmp, this.path);
    await syncDirectory(dirname(this.path));
  }

  /** The append handle, opened again if a compaction had to let it go. */
  private async openHandle(): Promise<FileHandle> {
    if (this.closed) throw new Error('the journal is closed');
    this.handle ??= await open(this.path, APPEND_FLAGS, 0o600);
    return this.handle;
  }

  stats(): { writes: number; broken: boolean } {
    return { writes: this.writes, broken: this.broken !== undefined };
  }

  close(): Promise<void> {
    return this.serial(async () => {
      this.closed = true;
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
    const upTo = this.queuedUpTo;
    this.queue = [];
    this.batch = undefined; // appends from now on wait for the next write
    if (this.broken) throw this.broken.error;
    try {
      const handle = await this.openHandle();
      await handle.appendFile(lines);
      if (DSYNC === undefined) await handle.datasync();
    } catch (err) {
      this.broken = { error: err as Error, upTo };
      throw err;
    }
    this.writtenUpTo = upTo;
    this.writes++;
  }
}

/** Entries in the file; a torn line (a crash or a failed write mid-append) is ignored: it never reached its caller as written. */
export async function readEntries<T>(path: string): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
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
      // torn
    }
  }
  return out;
}
