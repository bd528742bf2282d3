/**
 * Batch runs: start, run as a queued job, cancel, resume, retry the failed prompts. Each result
 * is stored in its slot, journaled, and published on the run's live topic once it is on disk,
 * with progress and ETA: a crash never loses a result anyone saw, and a resume never pays for it
 * again. The keys stay sealed in the batch sessions; a run goes when one of its sessions goes.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Price } from '../../core/accounting/pricing.js';
import { AppError } from '../../core/errors/app-error.js';
import { isRunnable, type JobContext, type JobsSlice, type JobView } from '../../core/jobs/job-types.js';
import type { JobQueue } from '../../core/jobs/queue.js';
import type { LlmClient } from '../../core/llm/llm-client.js';
import type { Logger } from '../../core/log/logger.js';
import type { Publisher } from '../../core/realtime/hub.js';
import type { StatePath, Store } from '../../core/store/store.js';
import { ownEntry } from '../../core/store/own-entry.js';
import type { BatchSessions } from './batch-sessions.js';
import { BoundedRegex } from './bounded-regex.js';
import { runPool } from './pool.js';
import { runPrompt } from './prompt-runner.js';
import { estimateBatch, runTasks, type BatchEstimate, type Task } from './run-plan.js';
import { StoredAnswers } from './stored-answers.js';
import { TOPIC_KEY_CHARS, topicOf, type BatchResult, type BatchRun, type JudgeChoice, type RunEndpoint } from './run-types.js';
import { batchRunView, liveSummary, resultView } from './run-view.js';
import type { Suite } from './suite-schema.js';

export const JOB_KIND = 'batch-run';

/** A run's fields that change with its life cycle (the rest is set at creation, or is results). */
const LIFECYCLE_FIELDS = ['state', 'error', 'job_id', 'started_at', 'finished_at', 'updated_at'] as const;

/** Bounds on what batch runs keep in state.json (they live only as long as their endpoint's session). */
export const BATCH_LIMITS = {
  /** Runs one web session keeps; starting another removes its oldest finished one. */
  runsPerSession: 5,
  /** Runs kept for all visitors together; beyond it new runs wait until old ones expire. */
  storedRuns: 20,
} as const;

export interface BatchServiceDeps {
  store: Store<{ batch_runs: Record<string, BatchRun> } & JobsSlice>;
  clock: Clock;
  publisher: Publisher;
  jobs: JobQueue;
  llm: LlmClient;
  sessions: BatchSessions;
  logger: Logger;
  priceOf(model: string): Price | null;
  /** A run holds a job slot (shared with research) at most this long at a time; Resume continues it. */
  maxRunMs: number;
}

/** One endpoint of a run: a batch session, and optionally another model on it (compare two models on one key). */
export interface EndpointChoice {
  session_id: string;
  model?: string | undefined;
}

export interface RunRequest {
  endpoints: EndpointChoice[];
  suites: Suite[];
  concurrency: number;
  timeout_ms: number;
  temperature: number | null;
  /** The judge: an endpoint of the run (by index) and a model on it (default its own); null: no judging. */
  judge: { endpoint: number; model?: string | undefined } | null;
}

type JobParams = { run_id: string; retry?: string[] };

export class BatchService {
  constructor(private readonly deps: BatchServiceDeps) {}

  /** After a restart: runs whose job was running are interrupted (resumable, results kept). */
  recover(): void {
    for (const run of Object.values(this.deps.store.data.batch_runs)) {
      if (run.state !== 'running' && run.state !== 'queued') continue;
      const job = run.job_id ? this.deps.store.data.jobs[run.job_id] : undefined;
      if (job?.state === 'queued') continue;
      // Cut off after its last result but before it said so: it is done.
      if (this.openTasks(run, new Set()).length === 0) {
        this.update(run.id, (r) => {
          r.state = 'done';
          r.error = null;
          r.finished_at ??= r.updated_at;
        });
        continue;
      }
      this.update(run.id, (r) => {
        r.state = 'interrupted';
        r.error = { code: 'interrupted', message: 'The server restarted while this run was going. Resume it: the results so far are kept.' };
      });
    }
  }

  estimate(owner: string, req: Pick<RunRequest, 'endpoints' | 'suites' | 'judge'>): BatchEstimate {
    const endpoints = this.endpoints(owner, req.endpoints);
    return estimateBatch(req.suites, endpoints, judgeChoice(req.judge, endpoints), this.deps.priceOf);
  }

  start(owner: string, req: RunRequest): { run: BatchRun; job: JobView; estimate: BatchEstimate } {
    const endpoints = this.endpoints(owner, req.endpoints);
    for (const e of endpoints) {
      const busy = this.active().find((r) => r.endpoints.some((x) => x.session_id === e.session_id));
      if (busy)
        throw new AppError(409, 'batch_session_busy', `Run ${busy.id} is still going on this endpoint. Wait for it, or cancel it, before starting another.`);
    }
    const stored = Object.keys(this.deps.store.data.batch_runs).length;
    // A session at its own limit replaces its oldest run; any other new run adds one.
    if (stored >= BATCH_LIMITS.storedRuns && this.list(owner).length < BATCH_LIMITS.runsPerSession) {
      throw new AppError(
        503,
        'batch_storage_full',
        'This Space holds as many batch runs as it keeps at once. Try again in a few minutes, when older runs expire with their sessions, or run Labcoat yourself.',
        { headers: { 'Retry-After': '300' } },
      );
    }
    const judge = judgeChoice(req.judge, endpoints);
    const estimate = estimateBatch(req.suites, endpoints, judge, this.deps.priceOf);
    const now = this.deps.clock.now();
    const run: BatchRun = {
      id: `batch_${randomBytes(12).toString('base64url')}`,
      owner,
      topic_key: randomBytes(16).toString('base64url'),
      created_at: now,
      updated_at: now,
      started_at: null,
      finished_at: null,
      state: 'queued',
      endpoints,
      suites: req.suites,
      concurrency: req.concurrency,
      timeout_ms: req.timeout_ms,
      temperature: req.temperature,
      judge,
      results: {},
      job_id: null,
      error: null,
    };
    this.deps.store.update((s) => void (s.batch_runs[run.id] = run));
    void this.persistRuns([run.id]); // created: logged whole
    try {
      const job = this.enqueue(run.id, { run_id: run.id });
      this.pruneFinished(owner);
      return { run: this.get(run.id), job, estimate };
    } catch (err) {
      this.deps.store.update((s) => void delete s.batch_runs[run.id]);
      void this.persistRuns([run.id]);
      throw err;
    }
  }

  /** Cancels a queued or running run; a running one stops its calls and is marked when they end. */
  cancel(id: string, owner: string): void {
    const run = this.owned(id, owner);
    if (run.state !== 'queued' && run.state !== 'running') throw new AppError(409, 'run_not_active', `This run is ${run.state}; there is nothing to cancel.`);
    const running = run.job_id ? this.deps.jobs.get(run.job_id)?.state === 'running' : false;
    this.stopJob(run);
    if (!running) this.finish(id, 'cancelled');
  }

  /** Runs the prompts without a result (after an interruption, a failure or a cancel). */
  resume(id: string, owner: string): JobView {
    const run = this.owned(id, owner);
    this.assertStopped(run, 'resumed');
    if (this.openTasks(run, new Set()).length === 0)
      throw new AppError(409, 'nothing_to_resume', 'Every prompt of this run has a result. Use Retry failed to run the failed ones again.');
    this.stopJob(run);
    return this.enqueue(id, { run_id: id });
  }

  /** Runs again the prompts that failed (their old result stays until a new one lands), and any without a result. */
  retryFailed(id: string, owner: string): JobView {
    const run = this.owned(id, owner);
    this.assertStopped(run, 'retried');
    const retry = Object.entries(run.results)
      .filter(([, r]) => !r.ok)
      .map(([slot]) => slot);
    if (this.openTasks(run, new Set(retry)).length === 0)
      throw new AppError(409, 'nothing_to_retry', 'Every prompt of this run has an answer; there is nothing to retry.');
    this.stopJob(run);
    return this.enqueue(id, { run_id: id, retry });
  }

  view(id: string, owner: string) {
    return batchRunView(this.owned(id, owner));
  }

  list(owner: string): BatchRun[] {
    return Object.values(this.deps.store.data.batch_runs)
      .filter((r) => r.owner === owner)
      .sort((a, b) => b.created_at - a.created_at);
  }

  /** The live topic's first message: a small summary (results come over HTTP), for the owner's topic only. */
  snapshot(topic: string): unknown {
    const name = topic.slice('batch:'.length);
    const run = this.find(name.slice(0, -TOPIC_KEY_CHARS - 1));
    if (!run || !sameText(name.slice(-TOPIC_KEY_CHARS), run.topic_key)) return undefined;
    return liveSummary(run);
  }

  /** A run's endpoint for a chat about its results: one of its sessions, with its model unless another is named. */
  chatTarget(id: string, owner: string, endpoint: number, model: string | undefined) {
    const run = this.owned(id, owner);
    const ep = run.endpoints[endpoint];
    if (!ep)
      throw new AppError(
        400,
        'not_in_run',
        `This run has ${run.endpoints.length} endpoint${run.endpoints.length > 1 ? 's' : ''}; pick one of them, or a model the Space offers.`,
      );
    return { ...this.deps.sessions.target(ep.session_id, owner), model: model ?? ep.model };
  }

  /** Sessions were deleted or expired: their runs (and results) go too, running ones stopped first. */
  dropForSessions(sessionIds: readonly string[]): void {
    const gone = new Set(sessionIds);
    const runs = Object.values(this.deps.store.data.batch_runs).filter((r) => r.endpoints.some((e) => gone.has(e.session_id)));
    if (runs.length === 0) return;
    for (const r of runs) this.stopJob(r);
    this.deps.store.update((s) => {
      for (const r of runs) delete s.batch_runs[r.id];
    });
    void this.persistRuns(runs.map((r) => r.id));
    for (const r of runs)
      this.deps.publisher.publish(topicOf(r), {
        type: 'status',
        state: 'deleted',
        error: {
          code: 'batch_session_gone',
          message: 'The endpoint\u2019s session ended, and its runs with it. Connect the endpoint again to run more tests.',
        },
      });
  }

  /** The job handler: every open slot, at most `concurrency` in flight per endpoint. */
  readonly handle = async (ctx: JobContext): Promise<unknown> => {
    const params = ctx.job.params as JobParams;
    const id = params.run_id;
    const run = this.find(id);
    // Not the run's current job, or a run that already ended (cancelled, say): nothing to run.
    if (!run || run.job_id !== ctx.job.id || !isRunnable(run.state)) return { skipped: true };
    const began = this.deps.clock.now();
    // A slow endpoint must not hold a job slot for hours: the run stops at its time limit, resumable.
    const timeLimit = new AbortController();
    const timer = setTimeout(() => timeLimit.abort(), this.deps.maxRunMs);
    const signal = AbortSignal.any([ctx.signal, timeLimit.signal]);
    try {
      const targets = run.endpoints.map((e) => ({ ...this.deps.sessions.target(e.session_id, run.owner), model: e.model }));
      const judge = run.judge ? { ...targets[run.judge.endpoint]!, model: run.judge.model } : null;
      const open = this.openTasks(run, new Set(params.retry ?? []));
      const total = runTasks(run.suites, run.endpoints.length).length;
      this.update(id, (r) => {
        r.state = 'running';
        r.error = null;
        r.started_at ??= began;
      });
      this.publishStatus(id);
      const progress: Progress = { done: total - open.length, total, doneNow: 0, began, warmup: run.concurrency * run.endpoints.length };
      const answers = new StoredAnswers(Object.values(run.results));
      const deps = { llm: this.deps.llm, clock: this.deps.clock, regex: new BoundedRegex(), timeoutMs: run.timeout_ms, temperature: run.temperature, answers };
      await Promise.all(
        run.endpoints.map((_, e) =>
          runPool(
            open.filter((t) => t.endpoint === e),
            run.concurrency,
            signal,
            async (task) => {
              const result = await runPrompt(task, targets[e]!, judge, deps, signal);
              if (result) this.record(id, task, result, progress, ctx);
            },
          ),
        ),
      );
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (timeLimit.signal.aborted)
        throw new AppError(
          408,
          'run_time_limit',
          `The run stopped after ${Math.round(this.deps.maxRunMs / 1000)} seconds so other visitors get their turn; its results are kept. Resume it to run the prompts left.`,
        );
      this.finish(id, 'done');
      return { run_id: id, done: progress.done };
    } catch (err) {
      this.onRunError(id, err, ctx.signal);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };

  /** Slots without a result, and those asked to run again, in run order. */
  private openTasks(run: Readonly<BatchRun>, again: ReadonlySet<string>): Task[] {
    return runTasks(run.suites, run.endpoints.length).filter((t) => !run.results[t.slot] || again.has(t.slot));
  }

  /** Stores a result and journals it; the hub sends the news once the line is on disk. */
  private record(id: string, task: Task, result: BatchResult, progress: Progress, ctx: JobContext): void {
    const run = this.find(id);
    if (!run) return; // deleted with its session while the call was out
    if (run.results[task.slot] === undefined) progress.done++; // a retried slot replaces its old result
    this.update(id, (r) => void (r.results[task.slot] = result));
    void this.deps.store.persist([
      ['batch_runs', id, 'results', task.slot],
      ['batch_runs', id, 'updated_at'],
    ]);
    progress.doneNow++;
    const topic = topicOf(run);
    this.deps.publisher.publish(topic, { type: 'event', kind: 'result', result: resultView(task.slot, result) });
    this.deps.publisher.publish(topic, {
      type: 'progress',
      step: 'prompts',
      done: progress.done,
      total: progress.total,
      eta_s: etaSeconds(progress, this.deps.clock.now()),
      message: `${progress.done} of ${progress.total} prompts`,
    });
    ctx.progress(progress.done, progress.total);
  }

  private onRunError(id: string, err: unknown, signal: AbortSignal): void {
    const reason = signal.aborted ? (signal.reason as { code?: string } | undefined)?.code : undefined;
    if (reason === 'shutting_down') {
      this.update(id, (r) => {
        r.state = 'interrupted';
        r.error = { code: 'interrupted', message: 'The server restarted while this run was going. Resume it: the results so far are kept.' };
      });
      this.publishStatus(id);
    } else if (signal.aborted) {
      this.finish(id, 'cancelled');
    } else {
      const e =
        err instanceof AppError
          ? { code: err.code, message: err.message }
          : { code: 'batch_failed', message: 'The run failed unexpectedly. Resume it to run the prompts left.' };
      if (!(err instanceof AppError)) this.deps.logger.error({ err, run: id }, 'batch run failed');
      this.update(id, (r) => {
        r.state = 'failed';
        r.error = e;
        r.finished_at = this.deps.clock.now();
      });
      this.publishStatus(id);
    }
  }

  private finish(id: string, state: 'done' | 'cancelled'): void {
    this.update(id, (r) => {
      r.state = state;
      r.finished_at = this.deps.clock.now();
      r.error = null;
    });
    this.publishStatus(id);
  }

  private enqueue(id: string, params: JobParams): JobView {
    const run = this.get(id);
    const job = this.deps.jobs.enqueue(JOB_KIND, params, run.owner);
    this.update(id, (r) => {
      r.state = 'queued';
      r.job_id = job.id;
      r.error = null;
      r.finished_at = null;
    });
    this.publishStatus(id);
    return job;
  }

  /** Ends the run's job if it has not ended: a queued or interrupted one is cancelled, a running one aborted. */
  private stopJob(run: Readonly<BatchRun>): void {
    const job = run.job_id ? this.deps.jobs.get(run.job_id) : undefined;
    if (job && (job.state === 'queued' || job.state === 'running' || job.state === 'interrupted')) this.deps.jobs.cancel(job.id);
  }

  /** Journals the run's life-cycle fields and publishes its status (sent once they are on disk). */
  private publishStatus(id: string): void {
    const run = this.find(id);
    if (!run) return;
    void this.deps.store.persist(LIFECYCLE_FIELDS.map((f): StatePath => ['batch_runs', id, f]));
    const job = run.job_id ? this.deps.jobs.view(run.job_id) : undefined;
    const s = liveSummary(run);
    this.deps.publisher.publish(topicOf(run), {
      type: 'status',
      state: run.state,
      queue_position: run.state === 'queued' ? (job?.queue_position ?? null) : null,
      eta_s: run.state === 'queued' ? (job?.eta_s ?? null) : null,
      done: s.done,
      total: s.total,
      error: run.error,
    });
  }

  private endpoints(owner: string, choices: readonly EndpointChoice[]): RunEndpoint[] {
    return choices.map((c) => {
      const s = this.deps.sessions.get(c.session_id, owner);
      return { session_id: s.id, label: s.label, base_url: s.base_url, model: c.model ?? s.model };
    });
  }

  private assertStopped(run: Readonly<BatchRun>, verb: string): void {
    if (run.state === 'queued' || run.state === 'running') throw new AppError(409, 'run_busy', `This run is ${run.state}; it can be ${verb} once it stops.`);
    for (const e of run.endpoints) this.deps.sessions.get(e.session_id, run.owner); // 404 when a session expired
  }

  private active(): BatchRun[] {
    return Object.values(this.deps.store.data.batch_runs).filter((r) => r.state === 'queued' || r.state === 'running');
  }

  private pruneFinished(owner: string): void {
    const runs = this.list(owner); // newest first
    const over = runs.length - BATCH_LIMITS.runsPerSession;
    if (over <= 0) return;
    const oldest = runs.filter((r) => r.state !== 'queued' && r.state !== 'running').slice(-over);
    for (const r of oldest) this.stopJob(r);
    this.deps.store.update((s) => {
      for (const r of oldest) delete s.batch_runs[r.id];
    });
    void this.persistRuns(oldest.map((r) => r.id));
  }

  /** Journals whole runs (created or deleted). */
  private persistRuns(ids: readonly string[]): Promise<void> {
    return this.deps.store.persist(ids.map((id) => ['batch_runs', id]));
  }

  private owned(id: string, owner: string): Readonly<BatchRun> {
    const run = this.find(id);
    if (!run || run.owner !== owner)
      throw new AppError(
        404,
        'batch_run_not_found',
        'There is no batch run with this id in your session. Runs are removed with their endpoint\u2019s session.',
      );
    return run;
  }

  private find(id: string): Readonly<BatchRun> | undefined {
    return ownEntry(this.deps.store.data.batch_runs, id);
  }

  private get(id: string): BatchRun {
    const run = this.find(id);
    if (!run) throw new AppError(404, 'batch_run_not_found', 'There is no batch run with this id.');
    return run as BatchRun;
  }

  private update(id: string, fn: (run: BatchRun) => void): void {
    const now = this.deps.clock.now();
    this.deps.store.update((s) => {
      const run = ownEntry(s.batch_runs, id);
      if (!run) return;
      fn(run);
      run.updated_at = now;
    });
  }
}

interface Progress {
  done: number;
  total: number;
  /** Results this job has recorded, since `began`. */
  doneNow: number;
  began: number;
  /** Results before the rate means anything: the first `concurrency` answers all take a full call. */
  warmup: number;
}

/** Seconds left at the rate results have landed in this job; null until the rate is known. */
export function etaSeconds(p: Progress, now: number): number | null {
  const left = p.total - p.done;
  if (left <= 0) return 0;
  if (p.doneNow < Math.min(p.warmup, left + p.doneNow)) return null;
  return Math.round((((now - p.began) / p.doneNow) * left) / 1000);
}

function judgeChoice(judge: RunRequest['judge'], endpoints: readonly RunEndpoint[]): JudgeChoice | null {
  if (!judge) return null;
  const ep = endpoints[judge.endpoint];
  if (!ep) throw new AppError(400, 'judge_not_in_run', 'The judge must run on one of the endpoints of this run.');
  return { endpoint: judge.endpoint, model: judge.model ?? ep.model };
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
