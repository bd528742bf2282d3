import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { AppError, shuttingDownError } from '../errors/app-error.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Publisher } from '../realtime/hub.js';
import type { Store } from '../store/store.js';
import { ownEntry } from '../store/own-entry.js';
import { updateAverage } from './eta.js';
import type { JobContext, JobHandler, JobRecord, JobsSlice, JobView } from './job-types.js';
import { activeJobs, jobView, queueFullError, queuePlaces, queueSnapshot, type ActiveJobs, type QueueSnapshot } from './queue-view.js';

export type { QueueSnapshot } from './queue-view.js';

export interface JobQueueOptions {
  store: Store<JobsSlice>;
  publisher: Publisher;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  maxConcurrent: number;
  maxQueueSize: number;
  /** Kinds known from the start (tests); features add theirs with handle(). */
  handlers?: Record<string, JobHandler>;
}

/**
 * A persisted FIFO queue with a concurrency limit. State lives in the store, so a restart
 * finds queued jobs still queued and running ones marked interrupted (resumable).
 */
export class JobQueue {
  private readonly controllers = new Map<string, AbortController>();
  private readonly settled = new Map<string, Promise<void>>();
  private readonly handlers: Map<string, JobHandler>;
  private accepting = true;

  constructor(private readonly opts: JobQueueOptions) {
    this.handlers = new Map(Object.entries(opts.handlers ?? {}));
  }

  /** Registers the handler of a job kind (one per kind). */
  handle(kind: string, handler: JobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`job kind "${kind}" already has a handler`);
    this.handlers.set(kind, handler);
  }

  /** After a restart: jobs that were running did not finish; they wait for an explicit resume. */
  recover(): void {
    const interrupted = this.markInterrupted('The server restarted while this job ran. Resume it to continue from its last step.');
    if (interrupted.length > 0) this.opts.logger.warn({ jobs: interrupted }, 'marked jobs interrupted by a restart');
    this.pump();
  }

  enqueue(kind: string, params: unknown, sessionId: string | null): JobView {
    if (!this.handlers.has(kind)) throw new Error(`no handler registered for job kind "${kind}"`);
    if (!this.accepting) throw shuttingDownError();
    if (this.active().queued.length >= this.opts.maxQueueSize) throw queueFullError(this.opts.maxQueueSize);
    const now = this.opts.clock.now();
    const job: JobRecord = {
      id: `job_${randomUUID()}`,
      kind,
      state: 'queued',
      session_id: sessionId,
      params,
      created_at: now,
      started_at: null,
      finished_at: null,
      progress: null,
      checkpoint: null,
      result: null,
      error: null,
      attempts: 0,
    };
    this.opts.store.update((s) => void (s.jobs[job.id] = job));
    this.persist(job.id);
    this.pump();
    this.broadcast();
    return this.view(job.id)!;
  }

  get(id: string): JobRecord | undefined {
    return ownEntry(this.opts.store.data.jobs, id);
  }

  /** Queued: cancelled at once. Running: aborted; what is done stays, the handler decides what that is. */
  cancel(id: string): JobView {
    const job = this.require(id);
    if (job.state === 'queued' || job.state === 'interrupted') {
      this.finish(id, 'cancelled', { error: null });
      this.broadcast();
    } else if (job.state === 'running') {
      this.controllers.get(id)?.abort(new AppError(499, 'cancelled', 'Cancelled by the user.'));
    } else {
      throw new AppError(409, 'job_finished', `This job already ended (${job.state}); there is nothing to cancel.`);
    }
    return this.view(id)!;
  }

  /** Puts an interrupted job back in the queue; its handler gets `resumed` and the checkpoint. */
  resume(id: string): JobView {
    const job = this.require(id);
    if (job.state !== 'interrupted') throw new AppError(409, 'not_interrupted', `Only interrupted jobs can be resumed; this one is ${job.state}.`);
    if (this.active().queued.length >= this.opts.maxQueueSize) throw queueFullError(this.opts.maxQueueSize);
    this.opts.store.update((s) => {
      const j = s.jobs[id]!;
      j.state = 'queued';
      j.error = null;
      j.created_at = this.opts.clock.now(); // back of the line
    });
    this.persist(id);
    this.pump();
    this.broadcast();
    return this.view(id)!;
  }

  view(id: string, places = this.places(this.active())): JobView | undefined {
    const job = this.get(id);
    return job && jobView(job, places);
  }

  snapshot(active = this.active(), places = this.places(active)): QueueSnapshot {
    return queueSnapshot(active, places, this.opts);
  }

  /** Stops starting jobs, aborts running ones and waits (bounded) for them to stop; they stay resumable. */
  async shutdown(graceMs: number): Promise<void> {
    this.accepting = false;
    for (const controller of this.controllers.values()) controller.abort(new AppError(503, 'shutting_down', 'The server is shutting down.'));
    const all = Promise.allSettled([...this.settled.values()]);
    await Promise.race([all, new Promise((r) => setTimeout(r, graceMs).unref())]);
    this.markInterrupted('The server shut down while this job ran. Resume it to continue from its last step.');
  }

  /** Jobs left running (by a restart or a shutdown) did not finish: interrupted, resumable. */
  private markInterrupted(message: string): string[] {
    return this.opts.store.update((s) => {
      const ids: string[] = [];
      for (const job of Object.values(s.jobs)) {
        if (job.state !== 'running') continue;
        job.state = 'interrupted';
        job.error = { code: 'interrupted', message };
        ids.push(job.id);
      }
      return ids;
    });
  }

  /** Forgets jobs that ended more than `maxAgeMs` ago; their features keep their own results. */
  prune(maxAgeMs: number): number {
    const cutoff = this.opts.clock.now() - maxAgeMs;
    const old = Object.values(this.opts.store.data.jobs).filter((j) => j.finished_at !== null && j.finished_at < cutoff);
    if (old.length > 0)
      this.opts.store.update((s) => {
        for (const j of old) delete s.jobs[j.id];
      });
    return old.length;
  }

  private pump(): void {
    if (!this.accepting) return;
    const { running, queued } = this.active();
    let free = this.opts.maxConcurrent - running.length;
    for (const job of queued) {
      if (free-- <= 0) break;
      this.start(job.id);
    }
  }

  private start(id: string): void {
    const controller = new AbortController();
    this.controllers.set(id, controller);
    const now = this.opts.clock.now();
    const job = this.opts.store.update((s) => {
      const j = s.jobs[id]!;
      j.state = 'running';
      j.started_at = now;
      j.attempts += 1;
      return j;
    });
    this.persist(id);
    const ctx: JobContext = {
      job,
      signal: controller.signal,
      resumed: job.attempts > 1,
      progress: (done, total, message) => {
        this.opts.store.update((s) => void (s.jobs[id]!.progress = { done, total, ...(message ? { message } : {}) }));
        this.opts.publisher.publish(`job:${id}`, { type: 'progress', step: job.kind, done, total, ...(message ? { message } : {}) });
      },
      checkpoint: (data) => this.opts.store.update((s) => void (s.jobs[id]!.checkpoint = data)),
    };
    this.opts.logger.info({ job: id, kind: job.kind, attempt: job.attempts }, 'job started');
    const handler = this.handlers.get(job.kind)!;
    const run = Promise.resolve()
      .then(() => {
        controller.signal.throwIfAborted(); // cancelled before it got going
        return handler(ctx);
      })
      .then(
        (result) => this.onSettled(id, controller.signal, { result: result ?? null }),
        (err: unknown) => this.onSettled(id, controller.signal, { err }),
      )
      .finally(() => {
        this.controllers.delete(id);
        this.settled.delete(id);
        this.pump();
        this.broadcast();
      });
    this.settled.set(id, run);
  }

  /** A handler ended: after a shutdown abort it stays for shutdown() to mark interrupted; after a cancel it is cancelled. */
  private onSettled(id: string, signal: AbortSignal, outcome: { result: unknown } | { err: unknown }): void {
    if (signal.aborted && (signal.reason as AppError | undefined)?.code === 'shutting_down') return;
    if (signal.aborted) {
      this.finish(id, 'cancelled', { error: null, ...('result' in outcome ? { result: outcome.result } : {}) });
      return;
    }
    if ('result' in outcome) {
      this.finish(id, 'done', { result: outcome.result });
      return;
    }
    const { err } = outcome;
    const error =
      err instanceof AppError
        ? { code: err.code, message: err.message }
        : { code: 'job_failed', message: 'The job failed unexpectedly. Try again; if it keeps failing, report it.' };
    if (!(err instanceof AppError)) this.opts.logger.error({ err, job: id }, 'job failed');
    this.finish(id, 'failed', { error });
  }

  private finish(id: string, state: 'done' | 'failed' | 'cancelled', fields: Partial<JobRecord>): void {
    const now = this.opts.clock.now();
    const job = this.opts.store.update((s) => {
      const j = s.jobs[id]!;
      const ranFor = j.started_at === null ? null : now - j.started_at;
      Object.assign(j, fields, { state, finished_at: now });
      if (state === 'done' && ranFor !== null) s.job_stats[j.kind] = updateAverage(s.job_stats[j.kind], ranFor);
      return j;
    });
    this.persist(id);
    this.opts.metrics.jobsFinished.inc({ kind: job.kind, state });
    this.opts.logger.info({ job: id, kind: job.kind, state }, 'job ended');
    this.opts.publisher.publish(`job:${id}`, { type: 'status', state, queue_position: null, eta_s: null, error: job.error });
  }

  /**
   * Journals a job record whole (small), so after a crash a job is in the state its run was
   * reported in: a cancelled run's job is never started again by recover().
   */
  private persist(id: string): void {
    void this.opts.store.persist([['jobs', id]]);
  }

  /** Pushes the queue summary and each waiting job's new position and ETA. */
  private broadcast(): void {
    const active = this.active();
    const places = this.places(active);
    const snap = this.snapshot(active, places);
    this.opts.metrics.queueJobs.set({ state: 'running' }, snap.running);
    this.opts.metrics.queueJobs.set({ state: 'queued' }, snap.queued);
    this.opts.publisher.publish('queue', { type: 'status', state: 'changed', ...snap });
    for (const job of [...active.running, ...active.queued]) {
      const place = places.get(job.id);
      this.opts.publisher.publish(`job:${job.id}`, { type: 'status', state: job.state, queue_position: place?.position ?? null, eta_s: place?.eta_s ?? null });
    }
  }

  private places(active: ActiveJobs) {
    return queuePlaces(active, this.opts.store.data.job_stats, this.opts.clock.now(), this.opts.maxConcurrent);
  }

  private active(): ActiveJobs {
    return activeJobs(this.opts.store.data.jobs);
  }

  private require(id: string): JobRecord {
    const job = this.get(id);
    if (!job) throw new AppError(404, 'job_not_found', 'There is no job with this id. It may have been removed.');
    return job;
  }
}
