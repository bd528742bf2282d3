import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import type { Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';
import { AppendJournal } from './append-journal.js';
import { captureOps, type ChangeEntry, type StatePath } from './change-log.js';
import { DurableJsonFile } from './durable-json-file.js';
import { type Migration, ensureWritableDir, migrate, refuseUnreadable, replayJournal, setAsideOrphanJournal } from './start-up.js';
import { stringifyWithoutClearSecrets } from './secret-guard.js';

export const STATE_FILE = 'state.json';
/** Changes that must be on disk before they are reported, between two writes of state.json (change-log.ts). */
export const JOURNAL_FILE = 'state.journal';

export { recordPath, type StatePath } from './change-log.js';
export { type Migration, StoreError } from './start-up.js';

/**
 * The document store seam, generic: it knows no feature. Each user asks for the slice it keeps
 * (`Store<{ jobs: ... }>`); the app's whole document is assembled at the top (app-state.ts).
 */
export interface Store<S> {
  /** The current state. Treat as read-only; change it only inside update(). */
  readonly data: Readonly<S>;
  /** Mutates the state synchronously and schedules one coalesced write. */
  update<T>(fn: (state: S) => T): T;
  /**
   * Appends the values now at `paths` to the change journal (one small synced line, shared with
   * other lines of the same turn); resolves once it, and every line before it, is on disk. Log a
   * whole record when creating it: a value whose parent was never durable is not replayed.
   */
  persist(paths: readonly StatePath[]): Promise<void>;
  /**
   * Resolves once every line persisted so far is on disk: what a report waits for. Never rejects:
   * a line that could not be written is logged here, and state.json carries its change.
   */
  durable(): Promise<void>;
  /** Writes now if anything changed; resolves when it is on disk. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. Updates after close are kept in memory only. */
  close(): Promise<void>;
  stats(): StoreStats;
}

export interface StoreStats {
  writes: number;
  journal_writes: number;
  pending: boolean;
  last_write_at: string | null;
  last_error: string | null;
}

export interface OpenStoreOptions<S> {
  dataDir: string;
  flushIntervalMs: number;
  clock: Clock;
  logger: Logger;
  /** The document: its empty state, its schema version, and the migrations up to it. */
  document: { empty(now: Date): S; version: number; migrations: Migration[] };
}

export async function openStore<S extends object>(opts: OpenStoreOptions<S>): Promise<Store<S>> {
  const { dataDir, clock, logger } = opts;
  await ensureWritableDir(dataDir);
  const path = join(dataDir, STATE_FILE);
  const guarded = (value: unknown) => {
    const { text, redacted } = stringifyWithoutClearSecrets(value);
    if (redacted.length > 0) logger.error({ fields: redacted }, 'a secret-named field was not sealed; wrote it redacted');
    return text;
  };
  let journalSeq = 0;
  // The state file says which change lines it already holds.
  const file = new DurableJsonFile<S>(path, (state) => guarded({ ...state, journal_seq: journalSeq }));
  const stale = await file.removeStaleTempFiles();
  if (stale > 0) logger.warn({ stale }, 'removed temp files left by an interrupted write');

  const hadState = await access(path).then(
    () => true,
    () => false,
  );
  const db = new Low<S>(file, opts.document.empty(new Date(clock.now())));
  try {
    await db.read();
  } catch (err) {
    throw await refuseUnreadable(path, err, clock);
  }
  const { journal_seq: seen = 0, ...raw } = db.data as unknown as Record<string, unknown> & { journal_seq?: number };
  const journalPath = join(dataDir, JOURNAL_FILE);
  if (!hadState) await setAsideOrphanJournal(journalPath, clock, logger);
  const { journal, entries } = await AppendJournal.open<ChangeEntry>(journalPath, guarded);
  // Lines hold records in the schema of the version that wrote them: replayed before migrating.
  const replay = replayJournal(raw, entries, seen);
  journalSeq = replay.seq;
  const version = opts.document.version;
  const migrated = await migrate(raw, path, version, opts.document.migrations, clock);
  db.data = migrated.state as unknown as S;
  const store = new CoalescingStore<S>(db, journal, journalSeq, (seq) => (journalSeq = seq), opts.flushIntervalMs, clock, logger);
  if (replay.applied > 0) logger.info({ lines: replay.applied, skipped_ops: replay.skipped }, 'replayed changes made after the last write of state.json');
  if (migrated.changed) logger.info({ from: migrated.from, to: version }, 'migrated state.json');
  if (migrated.changed || replay.applied > 0) {
    store.update(() => undefined);
    await store.flush();
  }
  return store;
}

const noop = () => undefined;

/** The change line of this turn, until it is handed to the journal. */
interface PendingLine {
  paths: Map<string, StatePath>;
  written: Promise<void>;
}

class CoalescingStore<S> implements Store<S> {
  private pending: PendingLine | undefined;
  private journalFailing = false;
  private dirty = false;
  /** Changes made so far, and how many of them are on disk. */
  private changes = 0;
  private persisted = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;
  private writes = 0;
  private lastWriteAt: number | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly db: Low<S>,
    private readonly journal: AppendJournal<ChangeEntry>,
    /** The last change line handed to the journal; state.json records the one its snapshot holds. */
    private seq: number,
    private readonly onSeq: (seq: number) => void,
    private readonly intervalMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  get data(): Readonly<S> {
    return this.db.data;
  }

  update<T>(fn: (state: S) => T): T {
    const result = fn(this.db.data);
    this.dirty = true;
    this.changes++;
    this.schedule();
    return result;
  }

  /**
   * Paths persisted in one turn of the event loop become one line, each path once, its value
   * taken when the turn ends (all values of a line are from one instant: a state that was real).
   */
  persist(paths: readonly StatePath[]): Promise<void> {
    const batch = (this.pending ??= this.nextLine());
    for (const path of paths) batch.paths.set(path.join('\u0000'), path);
    return batch.written;
  }

  durable(): Promise<void> {
    return (this.pending?.written ?? this.journal.barrier()).then(noop, noop);
  }

  private nextLine(): PendingLine {
    const line: PendingLine = { paths: new Map(), written: Promise.resolve() };
    line.written = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => {
        this.pending = undefined;
        this.seq++;
        this.onSeq(this.seq);
        return this.journal.append({ seq: this.seq, ops: captureOps(this.db.data, [...line.paths.values()]) });
      })
      .then(
        () => void (this.journalFailing = false),
        (err: unknown) => {
          // Once per failing spell (a full disk refuses every line until state.json is written again).
          if (!this.closed && !this.journalFailing)
            this.logger.error({ err }, 'could not write to state.journal; state.json gets the changes at its next write');
          this.journalFailing = true;
          throw err;
        },
      );
    line.written.catch(noop); // a caller that does not wait must not crash the process; one that waits sees the error
    return line;
  }

  private schedule(delay = this.intervalMs): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(() => undefined); // logged in writeOnce; retried on the next schedule
    }, delay);
  }

  /**
   * Resolves once every change made before the call is on disk: at most the write under way and
   * one more, however busy the store is (waiting for a quiet moment could wait forever).
   */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const target = this.changes;
    // One write at a time; whatever changed meanwhile goes out in the next one.
    while (this.persisted < target) {
      if (this.writing) {
        await this.writing;
        continue;
      }
      this.dirty = false;
      this.writing = this.writeOnce(this.changes).finally(() => (this.writing = undefined));
      await this.writing;
    }
    if (this.dirty) this.schedule(); // later changes go out on the usual timer
  }

  private async writeOnce(upTo: number): Promise<void> {
    const holds = this.seq; // the snapshot serialised now holds every change line so far
    try {
      await this.db.write();
      this.journal.compact(holds).catch((err: unknown) => this.logger.error({ err }, 'could not compact state.journal; it is replayed at start-up'));
      this.persisted = Math.max(this.persisted, upTo);
      this.writes++;
      this.lastWriteAt = this.clock.now();
      this.lastError = null;
    } catch (err) {
      this.dirty = true;
      this.lastError = (err as Error).message;
      this.logger.error({ err }, 'could not write state.json; will retry');
      this.schedule(Math.max(this.intervalMs, 1000));
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    clearTimeout(this.timer);
    await this.journal.close();
  }

  stats(): StoreStats {
    return {
      writes: this.writes,
      journal_writes: this.journal.stats().writes,
      pending: this.dirty || this.writing !== undefined,
      last_write_at: this.lastWriteAt === null ? null : new Date(this.lastWriteAt).toISOString(),
      last_error: this.lastError,
    };
  }
}
