/** What opening DATA_DIR checks and repairs: a writable folder, an unreadable file, an orphan journal, replay, migrations. */
import { copyFile, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';
import { readEntries } from './append-journal.js';
import { applyOps, type ChangeEntry } from './change-log.js';
import { CorruptFileError } from './durable-json-file.js';

/** A step from version `to - 1` to `to`. Migrations take and return plain JSON. */
export interface Migration {
  to: number;
  up(state: Record<string, unknown>): Record<string, unknown>;
}

/** Start-up must stop: the message says what is wrong and what to do. */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly backupPath?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * A journal without state.json (moved away after it could not be read, say) holds changes to a
 * state that is gone: replayed onto an empty one they would make half records. Unless it starts at
 * the first line (a first start cut off before its first write), it is kept aside, not replayed.
 */
export async function setAsideOrphanJournal(path: string, clock: Clock, logger: Logger): Promise<void> {
  const first = (await readEntries<ChangeEntry>(path))[0];
  if (!first || first.seq <= 1) return;
  const aside = `${path}.orphan-${stamp(clock)}`;
  await rename(path, aside);
  logger.warn({ kept_at: aside }, 'state.journal holds changes to a state.json that is missing; kept aside, not replayed');
}

/** Applies the journal's lines that state.json does not hold yet, in order. */
export function replayJournal(
  state: Record<string, unknown>,
  entries: readonly ChangeEntry[],
  seen: number,
): { seq: number; applied: number; skipped: number } {
  let seq = seen;
  let applied = 0;
  let skipped = 0;
  for (const entry of entries) {
    if (!(entry.seq > seq) || !Array.isArray(entry.ops)) continue; // already in state.json (a crash before compaction)
    skipped += applyOps(state, entry.ops);
    seq = entry.seq;
    applied++;
  }
  return { seq, applied, skipped };
}

export async function ensureWritableDir(dir: string): Promise<void> {
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, 'ok');
    await unlink(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new StoreError(
      `DATA_DIR ${dir} is not writable (${code}). Point DATA_DIR at a directory this user can write ` +
        '(in Docker: mount a volume at /data; on a Space: enable persistent storage or leave DATA_DIR unset).',
    );
  }
}

/** Never replace a file we cannot read: copy it aside and stop with a clear message. */
export async function refuseUnreadable(path: string, err: unknown, clock: Clock): Promise<StoreError> {
  if (!(err instanceof CorruptFileError)) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return new StoreError(`Cannot read ${path} (${code}). Check its permissions; Labcoat did not start so that nothing is overwritten.`);
  }
  const backup = `${path}.corrupt-${stamp(clock)}.bak`;
  await copyFile(path, backup);
  return new StoreError(
    `${path} is not valid JSON (${err.message}). Labcoat did not start so that nothing is overwritten. ` +
      `A copy is at ${backup}. Repair the file, or move it away to start with an empty state.`,
    backup,
  );
}

export async function migrate(
  raw: Record<string, unknown>,
  path: string,
  current: number,
  migrations: Migration[],
  clock: Clock,
): Promise<{ state: Record<string, unknown>; changed: boolean; from: number }> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Number.isInteger(raw.schema_version)) {
    const backup = `${path}.corrupt-${stamp(clock)}.bak`;
    await copyFile(path, backup);
    throw new StoreError(`${path} is JSON but not a Labcoat state file (no schema_version). A copy is at ${backup}. Move it away to start fresh.`, backup);
  }
  const from = raw.schema_version as number;
  if (from > current) {
    throw new StoreError(
      `${path} was written by a newer Labcoat (schema ${from}, this one reads up to ${current}). Upgrade Labcoat, or restore an older state file.`,
    );
  }
  if (from === current) return { state: raw, changed: false, from };
  await copyFile(path, `${path}.v${from}.bak`);
  let state = raw;
  for (const step of migrations.filter((m) => m.to > from && m.to <= current).sort((a, b) => a.to - b.to)) {
    state = { ...step.up(state), schema_version: step.to };
  }
  if (state.schema_version !== current) {
    throw new StoreError(`No migration path from schema ${from} to ${current} for ${path}.`);
  }
  return { state, changed: true, from };
}

function stamp(clock: Clock): string {
  return new Date(clock.now()).toISOString().replace(/[:.]/g, '-');
}
