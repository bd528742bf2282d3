/**
 * The runs of one kind through their life cycle: created with their first job (or not at all),
 * queued, cancelled, resumed, recovered after a restart, removed, and their status published
 * once it is on disk. The kind provides its steps and its marks (run-kind.ts).
 */
import type { Clock } from '../clock.js';
import { AppError } from '../errors/app-error.js';
import type { Logger } from '../log/logger.js';
import type { Publisher } from '../realtime/hub.js';
import { ownEntry } from '../store/own-entry.js';
import type { StatePath, Store } from '../store/store.js';
import { isRunnable, type JobHandler, type JobView } from './job-types.js';
import type { JobQueue } from './queue.js';
import type { RunJobParams, RunKind, RunRecord, RunsIn } from './run-kind.js';

export interface LifecycleDeps {
  queue: JobQueue;
  publisher: Publisher;
  clock: Clock;
  logger: Logger;
}

export class KindRuns<K extends string, R extends RunRecord, P extends RunJobParams> {
  constructor(
    private readonly kind: RunKind<K, R, P>,
    private readonly store: Store<RunsIn<K, R>>,
    private readonly deps: LifecycleDeps,
  ) {}

  find(id: string): Readonly<R> | undefined {
    return ownEntry(this.all(), id);
  }

  /** An owner's runs, newest first. */
  list(owner: string): R[] {
    return Object.values(this.all())
      .filter((r) => this.kind.owner(r) === owner)
      .sort((a, b) => b.created_at - a.created_at);
  }

  /** Changes a run and journals its life-cycle fields (or all of it). */
  update(id: string, fn: (run: R) => void): void {
    const now = this.deps.clock.now();
    const changed = this.store.update((s) => {
      const run = ownEntry(this.slice(s), id);
      if (!run) return false;
      fn(run);
      run.updated_at = now;
      return true;
    });
    if (!changed) return;
    const fields = this.kind.lifecycleFields;
    void this.store.persist(fields ? [...fields, 'updated_at'].map((f): StatePath => [this.kind.slice, id, f]) : [[this.kind.slice, id]]);
  }

  /** Stores a new run and starts it; when that fails (queue full, shutting down) the run goes again, so none is left that could never start. */
  create(run: R, start: (id: string) => JobView): JobView {
    this.store.update((s) => void (this.slice(s)[run.id] = run));
    this.journalWhole([run.id]);
    try {
      return start(run.id);
    } catch (err) {
      this.store.update((s) => void delete this.slice(s)[run.id]);
      this.journalWhole([run.id]);
      throw err;
    }
  }

  /** Queues a job for the run; `mark` adds the kind's own marks to the same change. */
  enqueue(id: string, params: P, mark?: (run: R) => void): JobView {
    const run = this.require(id);
    const job = this.deps.queue.enqueue(this.kind.job, params, this.kind.owner(run));
    this.update(id, (r) => {
      r.state = 'queued';
      r.job_id = job.id;
      r.error = null;
      mark?.(r);
    });
    this.publish(id);
    return job;
  }

  /** Queues a stopped run again: a new job, its steps continue from what is stored. */
  resume(id: string, params: P, mark?: (run: R) => void): JobView {
    this.stopJob(this.require(id));
    return this.enqueue(id, params, mark);
  }

  /** Stops the run's job. A running one settles the run when its steps stop (what they did stays), unless the kind settles at once. */
  cancel(id: string): void {
    const running = this.stopJob(this.require(id));
    if (!running || this.kind.cancelsAtOnce) this.settleCancel(id);
  }

  /** Removes runs and their records, stopping their jobs first. */
  remove(runs: ReadonlyArray<Readonly<R>>): void {
    if (runs.length === 0) return;
    for (const r of runs) this.stopJob(r);
    this.store.update((s) => {
      for (const r of runs) delete this.slice(s)[r.id];
    });
    this.journalWhole(runs.map((r) => r.id));
  }

  /** Keeps an owner's `keep` newest runs: older ones that ended go (queued and running ones stay). */
  keepNewest(owner: string, keep: number): void {
    const runs = this.list(owner);
    const over = runs.length - keep;
    if (over > 0) this.remove(runs.filter((r) => r.state !== 'queued' && r.state !== 'running').slice(-over));
  }

  /** The run's status on its topic; the hub sends it once the change is on disk. */
  publish(id: string): void {
    const run = this.find(id);
    if (!run) return;
    const job = run.state === 'queued' && run.job_id ? this.deps.queue.view(run.job_id) : undefined;
    this.deps.publisher.publish(this.kind.topic(run), {
      type: 'status',
      state: run.state,
      queue_position: job?.queue_position ?? null,
      eta_s: job?.eta_s ?? null,
      ...this.kind.statusFields(run),
      error: run.error,
    });
  }

  /** After a restart: runs whose job was cut off are interrupted (resumable), or finished when nothing was left. */
  recover(): void {
    for (const run of Object.values(this.all())) {
      if (run.state !== 'running' && run.state !== 'queued') continue;
      if (run.job_id && this.deps.queue.get(run.job_id)?.state === 'queued') continue; // the queue starts it
      this.update(run.id, (r) => {
        if (!this.kind.completeCutOff?.(r)) this.interrupt(r);
      });
    }
  }

  /** The job handler: the kind's steps on a run that is still current, and how the run ends when they stop early. */
  readonly handler: JobHandler = async (ctx) => {
    const params = ctx.job.params as P;
    const run = this.find(params.run_id);
    // Not the run's current job (an old one resumed by hand), or a run that ended meanwhile (cancelled, say).
    if (!run || run.job_id !== ctx.job.id || !isRunnable(run.state)) return { skipped: true };
    try {
      return await this.kind.steps(run, params, ctx);
    } catch (err) {
      throw this.settleStopped(params, err, ctx.signal);
    }
  };

  /** Settles a run whose steps stopped with an error; returns what its job ends with. */
  private settleStopped(params: P, err: unknown, signal: AbortSignal): unknown {
    const id = params.run_id;
    if (signal.aborted && (signal.reason as { code?: string } | undefined)?.code === 'shutting_down') {
      this.update(id, (r) => this.interrupt(r));
      this.publish(id);
    } else if (signal.aborted) {
      this.settleCancel(id);
    } else {
      const own = this.kind.settleOwnError?.(id, err, params);
      if (own) {
        this.publish(id);
        return own;
      }
      this.fail(id, err, params);
    }
    return err;
  }

  private fail(id: string, err: unknown, params: P): void {
    const error = err instanceof AppError ? { code: err.code, message: err.message } : this.kind.unexpected;
    if (!(err instanceof AppError)) this.deps.logger.error({ err, run: id, kind: this.kind.job }, 'run failed');
    this.update(id, (r) => {
      r.state = 'failed';
      r.error = error;
      this.kind.onFailed?.(r, error, params);
    });
    this.publish(id);
  }

  private settleCancel(id: string): void {
    this.kind.settleCancel(id);
    this.publish(id);
  }

  private interrupt(run: R): void {
    run.state = 'interrupted';
    this.kind.onInterrupted?.(run);
  }

  /** Ends the run's job if it has not: a queued or interrupted one is cancelled, a running one aborted. Says whether it was running. */
  private stopJob(run: Readonly<R>): boolean {
    const job = run.job_id ? this.deps.queue.get(run.job_id) : undefined;
    if (!job || !isRunnable(job.state)) return false;
    const running = job.state === 'running';
    this.deps.queue.cancel(job.id);
    return running;
  }

  private require(id: string): Readonly<R> {
    const run = this.find(id);
    if (!run) throw new Error(`no run ${id} in ${this.kind.slice}`);
    return run;
  }

  private all(): Readonly<Record<string, R>> {
    return this.store.data[this.kind.slice];
  }

  private slice(state: RunsIn<K, R>): Record<string, R> {
    return state[this.kind.slice];
  }

  /** Journals whole runs (created or removed). */
  private journalWhole(ids: readonly string[]): void {
    void this.store.persist(ids.map((id) => [this.kind.slice, id]));
  }
}
