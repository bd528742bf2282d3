/** Research runs in the store: one place that reads and changes them. */
import type { Store } from '../../core/store/store.js';

/** The part of the state document research keeps. */
export interface ResearchState {
  /** Research runs by id; each belongs to the session that started it. */
  research_runs: Record<string, ResearchRun>;
}

/** The store as research sees it: its runs. */
export type ResearchStore = Store<ResearchState>;
import { AppError } from '../../core/errors/app-error.js';
import type { ResearchRun } from './run-types.js';
import { ownEntry } from '../../core/store/own-entry.js';

export function findRun(store: ResearchStore, id: string): Readonly<ResearchRun> | undefined {
  return ownEntry(store.data.research_runs, id);
}

export function getRun(store: ResearchStore, id: string): Readonly<ResearchRun> {
  const run = findRun(store, id);
  if (!run) throw new AppError(404, 'run_not_found', 'There is no research run with this id. Check the link, or start a new run.');
  return run;
}

/** A run its session may change; anyone else only reads it (a shared link). */
export function ownedRun(store: ResearchStore, id: string, sessionId: string): Readonly<ResearchRun> {
  const run = getRun(store, id);
  if (run.session_id !== sessionId)
    throw new AppError(403, 'not_your_run', 'Only the session that started this run can change it; this link opens it read-only.');
  return run;
}

/**
 * Changes a run and journals it: whole, or only `fields` when the caller knows that is all it
 * changed (a call's tally, a step marker: a large run is not rewritten for those).
 */
export function updateRun(store: ResearchStore, id: string, now: number, fn: (run: ResearchRun) => void, fields?: ReadonlyArray<keyof ResearchRun>): void {
  const changed = store.update((s) => {
    const run = ownEntry(s.research_runs, id);
    if (!run) return false;
    fn(run);
    run.updated_at = now;
    return true;
  });
  if (!changed) return;
  if (fields) void store.persist([...fields, 'updated_at'].map((f) => ['research_runs', id, f]));
  else persistRun(store, id);
}

/** Journals a run whole: created, changed or deleted. */
export function persistRun(store: ResearchStore, id: string): void {
  void store.persist([['research_runs', id]]);
}
