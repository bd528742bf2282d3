/**
 * Batch runs: start, run as a queued job, cancel, resume, retry the failed prompts. Each result
 * is stored in its slot and published on `batch:<id>` as it lands, with progress and ETA. The
 * keys stay sealed in the batch sessions; a run goes when one of its sessions goes.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Price } from '../../accounting/pricing.js';
import { AppError } from '../../http/app-error.js';
import type { JobContext, JobView } from '../../jobs/job-types.js';
import type { JobQueue } from '../../jobs/queue.js';
import type { LlmClient, Target } from '../../llm/llm-client.js';
import type { Logger } from '../../log/logger.js';
import type { Publisher } from '../../realtime/hub.js';
import type { Store } from '../../store/store.js';
import { ownEntry } from '../../store/own-entry.js';
import type { BatchSessions } from './batch-sessions.js';
import { BoundedRegex } from './bounded-regex.js';
import { runPool } from './pool.js';
import { runPrompt } from './prompt-runner.js';
import { estimateBatch, runSuites, runTasks, type BatchEstimate, type Task } from './run-plan.js';
import type { BatchResult, BatchRun, JudgeChoice } from './run-types.js';
import { batchRunView, resultView } from './run-view.js';
import type { Suite } from './suite-schema.js';

export const JOB_KIND = 'batch-run';
/** Runs one web session keeps; starting another removes its oldest finished ones. */
export const RUNS_KEPT_PER_SESSION = 10;

export interface BatchServiceDeps {
  store: Store;
  clock: Clock;
  publisher: Publisher;
  jobs: JobQueue;
  llm: LlmClient;
  sessions: BatchSessions;
  logger: Logger;
  priceOf(model: string): Price | null;
}

export interface RunRequest {
  session_ids: string[];
  suite_ids: string[];
  custom_suite: Suite | null;
  concurrency: number;
  timeout_ms: number;
  temperature: number | null;
  /** The judge: one of the run's sessions and a model on it (default its own); null: no judging. */
  judge: { session_id: string; model?: string | undefined } | null;
}

export class BatchService {
  private readonly regex = new BoundedRegex();

  constructor(private readonly deps: BatchServiceDeps) {}

  /** After a restart: runs whose job was running are interrupted (resumable, results kept). */
  recover(): void {
    for (const run of Object.values(this.deps.store.data.batch_runs)) {
      if (run.state !== 'running' && run.state !== 'queued') continue;
      const job = run.job_id ? this.deps.store.data.jobs[run.job_id] : undefined;
      if (job?.state === 'queued') continue;
      this.update(run.id, (r) => {
        r.state = 'interrupted';
        r.error = { code: 'interrupted', message: 'The server restarted while this run was going. Resume it: the results so far are kept.' };
      });
    }
  }

  estimate(owner: string, req: Omit<RunRequest, 'concurrency' | 'timeout_ms' | 'temperature'>): BatchEstimate {
    const endpoints = this.endpoints(owner, req.session_ids);
    return estimateBatch(runSuites({ suite_ids: req.suite_ids, custom_suite: req.custom_suite }), endpoints, this.judgeChoice(req, endpoints), this.deps.priceOf);
  }

  start(owner: string, req: RunRequest): { run: BatchRun; job: JobView; estimate: BatchEstimate } {
    const endpoints = this.endpoints(owner, req.session_ids);
    for (const id of req.session_ids) {
      const busy = this.active().find((r) => r.endpoints.some((e) => e.session_id === id));
      if (busy) throw new AppError(409, 'batch_session_busy', `Run ${busy.id} is still going on this endpoint. Wait for it, or cancel it, before starting another.`);
    }
    const judge = this.judgeChoice(req, endpoints);
    const suites = runSuites({ suite_ids: req.suite_ids, custom_suite: req.custom_suite });
    const estimate = estimateBatch(suites, endpoints, judge, this.deps.priceOf);
    this.pruneFinished(owner);
    const now = this.deps.clock.now();
    const run: BatchRun = {
      id: `batch_${randomBytes(12).toString('base64url')}`,
      owner,
      created_at: now,
      updated_at: now,
      started_at: null,
      finished_at: null,
      state: 'queued',
      endpoints,
      suite_ids: req.suite_ids,
      custom_suite: req.custom_suite,
      concurrency: req.concurrency,
      timeout_ms: req.timeout_ms,
      temperature: req.temperature,
      judge,
      results: {},
      job_id: null,
      error: null,
      active_ms: 0,
    };
    this.deps.store.update((s) => void (s.batch_runs[run.id] = run));
    try {
      const job = this.enqueue(run.id);
      return { run: this.get(run.id), job, estimate };
    } catch (err) {
      this.deps.store.update((s) => void delete s.batch_runs[run.id]);
      throw err;
    }
  }

  cancel(id: string, owner: string): BatchRun {
    const run = this.owned(id, owner);
    if (run.state !== 'queued' && run.state !== 'running') throw new AppError(409, 'run_not_active', `This run is ${run.state}; there is nothing to cancel.`);
    const job = run.job_id ? this.deps.jobs.get(run.job_id) : undefined;
    if (job && (job.state === 'queued' || job.state === 'running')) this.deps.jobs.cancel(job.id);
    // A queued job never reaches the handler; a running one is marked by it when it stops.
    if (job?.state !== 'running') this.finish(id, 'cancelled');
    return this.get(id);
  }

  /** Runs the prompts without a result (after an interruption or a cancel). */
  resume(id: string, owner: string): JobView {
    const run = this.owned(id, owner);
    this.assertStopped(run, 'resumed');
    return this.enqueue(id);
  }

  /** Runs again only the prompts that failed, and any without a result. */
  retryFailed(id: string, owner: string): JobView {
    const run = this.owned(id, owner);
    this.assertStopped(run, 'retried');
    const failed = Object.entries(run.results).filter(([, r]) => !r.ok).map(([slot]) => slot);
    if (failed.length === 0 && Object.keys(run.results).length === runTasks(runSuites(run), run.endpoints.length).length) {
      throw new AppError(409, 'nothing_to_retry', 'Every prompt of this run has an answer; there is nothing to retry.');
    }
    const kept = structuredClone(failed.map((slot) => [slot, run.results[slot]!] as const));
    this.update(id, (r) => failed.forEach((slot) => delete r.results[slot]));
    try {
      return this.enqueue(id);
    } catch (err) {
      this.update(id, (r) => kept.forEach(([slot, result]) => (r.results[slot] = result)));
      throw err;
    }
  }

  view(id: string, owner: string) {
    return batchRunView(this.owned(id, owner));
  }

  list(owner: string): BatchRun[] {
    return Object.values(this.deps.store.data.batch_runs).filter((r) => r.owner === owner).sort((a, b) => b.created_at - a.created_at);
  }

  /** A session's target for a chat about a run: one of the run's endpoints (or the judge's model on it). */
  chatTarget(id: string, owner: string, sessionId: string | undefined, model: string | undefined): Target {
    const run = this.owned(id, owner);
    const session = sessionId ?? run.endpoints[0]!.session_id;
    if (!run.endpoints.some((e) => e.session_id === session)) throw new AppError(400, 'not_in_run', 'Chat with one of the endpoints this run tested (its session id), or pick a model the Space offers.');
    const target = this.deps.sessions.target(session, owner);
    return model ? { ...target, model } : target;
  }

  /** Sessions were deleted or expired: their runs (and results) go too, running ones cancelled first. */
  dropForSessions(sessionIds: readonly string[]): void {
    const gone = new Set(sessionIds);
    const runs = Object.values(this.deps.store.data.batch_runs).filter((r) => r.endpoints.some((e) => gone.has(e.session_id)));
    for (const run of runs) {
      const job = run.job_id ? this.deps.jobs.get(run.job_id) : undefined;
      if (job && (job.state === 'queued' || job.state === 'running')) this.deps.jobs.cancel(job.id);
    }
    if (runs.length > 0) this.deps.store.update((s) => runs.forEach((r) => delete s.batch_runs[r.id]));
  }

  /** The job handler: every open slot, at most `concurrency` in flight per endpoint. */
  readonly handle = async (ctx: JobContext): Promise<unknown> => {
    const { run_id: id } = ctx.job.params as { run_id: string };
    const run = this.find(id);
    if (!run || run.job_id !== ctx.job.id) return { skipped: true };
    const began = this.deps.clock.now();
    try {
      const targets = run.endpoints.map((e) => this.deps.sessions.target(e.session_id, run.owner));
      const judge = run.judge ? { ...targets[run.judge.endpoint]!, model: run.judge.model } : null;
      const all = runTasks(runSuites(run), run.endpoints.length);
      const open = all.filter((t) => !run.results[t.slot]);
      this.update(id, (r) => {
        r.state = 'running';
        r.error = null;
        r.started_at ??= began;
      });
      this.publishStatus(id);
      const progress = { done: all.length - open.length, total: all.length, doneNow: 0 };
      const deps = { llm: this.deps.llm, clock: this.deps.clock, regex: this.regex, timeoutMs: run.timeout_ms, temperature: run.temperature };
      await Promise.all(
        run.endpoints.map((_, e) =>
          runPool(open.filter((t) => t.endpoint === e), run.concurrency, ctx.signal, async (task) => {
            const result = await runPrompt(task, targets[e]!, judge, deps, ctx.signal);
            if (result) this.record(id, task, result, progress, began, ctx);
          }),
        ),
      );
      if (ctx.signal.aborted) throw ctx.signal.reason;
      this.addActive(id, began);
      this.finish(id, 'done');
      return { run_id: id, done: progress.done };
    } catch (err) {
      this.addActive(id, began);
      this.onRunError(id, err, ctx.signal);
      throw err;
    }
  };

  private record(id: string, task: Task, result: BatchResult, progress: { done: number; total: number; doneNow: number }, began: number, ctx: JobContext): void {
    this.update(id, (r) => void (r.results[task.slot] = result));
    progress.done++;
    progress.doneNow++;
    const elapsed = this.deps.clock.now() - began;
    const eta_s = Math.round(((progress.total - progress.done) * elapsed) / progress.doneNow / 1000);
    const topic = `batch:${id}`;
    this.deps.publisher.publish(topic, { type: 'event', kind: 'result', result: resultView(task.slot, result) });
    this.deps.publisher.publish(topic, { type: 'progress', step: 'prompts', done: progress.done, total: progress.total, eta_s, message: `${progress.done} of ${progress.total} prompts` });
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
      const e = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'batch_failed', message: 'The run failed unexpectedly. Resume it to run the prompts left.' };
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

  private enqueue(id: string): JobView {
    const run = this.get(id);
    const job = this.deps.jobs.enqueue(JOB_KIND, { run_id: id }, run.owner);
    this.update(id, (r) => {
      r.state = 'queued';
      r.job_id = job.id;
      r.error = null;
      r.finished_at = null;
    });
    this.publishStatus(id);
    return job;
  }

  private publishStatus(id: string): void {
    const run = this.find(id);
    if (!run) return;
    const job = run.job_id ? this.deps.jobs.view(run.job_id) : undefined;
    const total = runTasks(runSuites(run), run.endpoints.length).length;
    this.deps.publisher.publish(`batch:${id}`, {
      type: 'status',
      state: run.state,
      queue_position: run.state === 'queued' ? (job?.queue_position ?? null) : null,
      eta_s: run.state === 'queued' ? (job?.eta_s ?? null) : null,
      done: Object.keys(run.results).length,
      total,
      error: run.error,
    });
  }

  private endpoints(owner: string, sessionIds: readonly string[]) {
    return sessionIds.map((sid) => {
      const s = this.deps.sessions.get(sid, owner);
      return { session_id: s.id, label: s.label, base_url: s.base_url, model: s.model };
    });
  }

  private judgeChoice(req: Pick<RunRequest, 'judge' | 'session_ids'>, endpoints: BatchRun['endpoints']): JudgeChoice | null {
    if (!req.judge) return null;
    const index = req.session_ids.indexOf(req.judge.session_id);
    if (index < 0) throw new AppError(400, 'judge_not_in_run', 'The judge must run on one of the endpoints of this run: pick one of its sessions.');
    return { endpoint: index, model: req.judge.model ?? endpoints[index]!.model };
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
    const over = runs.length - (RUNS_KEPT_PER_SESSION - 1);
    if (over <= 0) return;
    const oldest = runs.filter((r) => r.state !== 'queued' && r.state !== 'running').slice(-over);
    this.deps.store.update((s) => oldest.forEach((r) => delete s.batch_runs[r.id]));
  }

  private addActive(id: string, began: number): void {
    this.update(id, (r) => void (r.active_ms += this.deps.clock.now() - began));
  }

  private owned(id: string, owner: string): Readonly<BatchRun> {
    const run = this.find(id);
    if (!run || run.owner !== owner) throw new AppError(404, 'batch_run_not_found', 'There is no batch run with this id in your session. Runs are removed with their endpoint\u2019s session.');
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
