/**
 * The one run life cycle: features register a run kind (its store slice, its steps, its marks)
 * and get its runs' create, enqueue with rollback, cancel, resume, removal and status publishing
 * (kind-runs.ts). Recovery after a restart is one call: every kind's runs, then the queue.
 */
import { KindRuns, type LifecycleDeps } from './kind-runs.js';
import type { RunJobParams, RunKind, RunRecord, RunsIn } from './run-kind.js';
import type { Store } from '../store/store.js';

export type { KindRuns, LifecycleDeps } from './kind-runs.js';
export type { RunJobParams, RunKind, RunRecord, RunsIn } from './run-kind.js';

export class RunLifecycle {
  private readonly kinds = new Map<string, { routes: string; recover(): void }>();
  private recovered = false;

  constructor(private readonly deps: LifecycleDeps) {}

  register<K extends string, R extends RunRecord, P extends RunJobParams>(kind: RunKind<K, R, P>, store: Store<RunsIn<K, R>>): KindRuns<K, R, P> {
    // The queue starts waiting jobs when it recovers: their kinds must be known by then.
    if (this.recovered) throw new Error(`run kind "${kind.job}" registered after recovery`);
    const runs = new KindRuns(kind, store, this.deps);
    this.deps.queue.handle(kind.job, runs.handler);
    this.kinds.set(kind.job, { routes: kind.routes, recover: () => runs.recover() });
    return runs;
  }

  /**
   * After a restart, in one step: each kind's runs whose job was cut off first (interrupted, or
   * finished), then the queue, which then starts the jobs that were waiting.
   */
  recover(): void {
    this.recovered = true;
    for (const kind of this.kinds.values()) kind.recover();
    this.deps.queue.recover();
  }

  /** Where a job is cancelled and resumed when a run owns it (the run must see both); undefined for a plain job. */
  routesFor(jobKind: string): string | undefined {
    return this.kinds.get(jobKind)?.routes;
  }

  /** Forgets jobs that ended more than `maxAgeMs` ago; runs keep their own results. */
  prune(maxAgeMs: number): number {
    return this.deps.queue.prune(maxAgeMs);
  }
}
