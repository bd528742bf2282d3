/**
 * Batch runs: start, cancel, resume, retry the failed prompts; the job's steps are in
 * run-steps.ts and the life cycle in the core. The keys stay sealed in the batch sessions; a run
 * goes when one of its sessions goes.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Price } from '../../core/accounting/pricing.js';
import { AppError } from '../../core/errors/app-error.js';
import type { JobView } from '../../core/jobs/job-types.js';
import type { RunKind, RunLifecycle } from '../../core/jobs/run-lifecycle.js';
import type { LlmClient } from '../../core/llm/llm-client.js';
import type { Publisher } from '../../core/realtime/hub.js';
import type { Store } from '../../core/store/store.js';
import type { BatchSessions } from './batch-sessions.js';
import { estimateBatch, type BatchEstimate } from './run-plan.js';
import { ended, openTasks, runBatchSteps, type BatchJobParams, type BatchRuns } from './run-steps.js';
import { TOPIC_KEY_CHARS, topicOf, type BatchRun, type JudgeChoice, type RunEndpoint } from './run-types.js';
import { batchRunView, liveSummary } from './run-view.js';
import type { Suite } from './suite-schema.js';

export const JOB_KIND = 'batch-run';

/** A run's fields that change with its life cycle (the rest is set at creation, or is results). */
const LIFECYCLE_FIELDS = ['state', 'error', 'job_id', 'started_at', 'finished_at'] as const;

const INTERRUPTED = { code: 'interrupted', message: 'The server restarted while this run was going. Resume it: the results so far are kept.' };

/** Bounds on what batch runs keep in state.json (they live only as long as their endpoint's session). */
export const BATCH_LIMITS = {
  /** Runs one web session keeps; starting another removes its oldest finished one. */
  runsPerSession: 5,
  /** Runs kept for all visitors together; beyond it new runs wait until old ones expire. */
  storedRuns: 20,
} as const;

export interface BatchServiceDeps {
  store: Store<{ batch_runs: Record<string, BatchRun> }>;
  clock: Clock;
  publisher: Publisher;
  runs: RunLifecycle;
  llm: LlmClient;
  sessions: BatchSessions;
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

export class BatchService {
  private readonly runs: BatchRuns;

  constructor(private readonly deps: BatchServiceDeps) {
    this.runs = deps.runs.register(this.kind(), deps.store);
  }

  estimate(owner: string, req: Pick<RunRequest, 'endpoints' | 'suites' | 'judge'>): BatchEstimate {
    const endpoints = this.endpoints(owner, req.endpoints);
    return estimateBatch(req.suites, endpoints, judgeChoice(req.judge, endpoints), this.deps.priceOf);
  }

  start(owner: string, req: RunRequest): { run: BatchRun; job: JobView; estimate: BatchEstimate } {
    const endpoints = this.endpoints(owner, req.endpoints);
    this.assertRoom(owner, endpoints);
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
    const job = this.runs.create(run, (id) => this.enqueue(id, { run_id: id }));
    this.runs.keepNewest(owner, BATCH_LIMITS.runsPerSession);
    return { run: this.get(run.id), job, estimate };
  }

  /** Cancels a queued or running run; a running one stops its calls and is marked when they end. */
  cancel(id: string, owner: string): void {
    const run = this.owned(id, owner);
    if (run.state !== 'queued' && run.state !== 'running') throw new AppError(409, 'run_not_active', `This run is ${run.state}; there is nothing to cancel.`);
    this.runs.cancel(id);
  }

  /** Runs the prompts without a result (after an interruption, a failure or a cancel). */
  resume(id: string, owner: string): JobView {
    const run = this.owned(id, owner);
    this.assertStopped(run, 'resumed');
    if (openTasks(run, new Set()).length === 0)
      throw new AppError(409, 'nothing_to_resume', 'Every prompt of this run has a result. Use Retry failed to run the failed ones again.');
    return this.runs.resume(id, { run_id: id }, clearFinish);
  }

  /** Runs again the prompts that failed (their old result stays until a new one lands), and any without a result. */
  retryFailed(id: string, owner: string): JobView {
    const run = this.owned(id, owner);
    this.assertStopped(run, 'retried');
    const retry = Object.entries(run.results)
      .filter(([, r]) => !r.ok)
      .map(([slot]) => slot);
    if (openTasks(run, new Set(retry)).length === 0)
      throw new AppError(409, 'nothing_to_retry', 'Every prompt of this run has an answer; there is nothing to retry.');
    return this.runs.resume(id, { run_id: id, retry }, clearFinish);
  }

  view(id: string, owner: string) {
    return batchRunView(this.owned(id, owner));
  }

  list(owner: string): BatchRun[] {
    return this.runs.list(owner);
  }

  /** The live topic's first message: a small summary (results come over HTTP), for the owner's topic only. */
  snapshot(topic: string): unknown {
    const name = topic.slice('batch:'.length);
    const run = this.runs.find(name.slice(0, -TOPIC_KEY_CHARS - 1));
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
    this.runs.remove(runs);
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

  /** Batch runs as a run kind: where they live, their status, their steps and marks. */
  private kind(): RunKind<'batch_runs', BatchRun, BatchJobParams> {
    const now = () => this.deps.clock.now();
    return {
      job: JOB_KIND,
      slice: 'batch_runs',
      lifecycleFields: LIFECYCLE_FIELDS,
      routes: 'POST /api/batch/runs/:id/cancel or /resume',
      owner: (run) => run.owner,
      topic: topicOf,
      statusFields: (run) => {
        const { done, total } = liveSummary(run);
        return { done, total };
      },
      steps: (run, params, ctx) => runBatchSteps(run, params, ctx, { ...this.deps, runs: this.runs }),
      settleCancel: (id) => this.runs.update(id, ended('cancelled', now())),
      onInterrupted: (run) => void (run.error = { ...INTERRUPTED }),
      onFailed: (run) => void (run.finished_at = now()),
      unexpected: { code: 'batch_failed', message: 'The run failed unexpectedly. Resume it to run the prompts left.' },
      // Cut off after its last result but before it said so: it is done.
      completeCutOff: (run) => {
        if (openTasks(run, new Set()).length > 0) return false;
        run.state = 'done';
        run.error = null;
        run.finished_at ??= run.updated_at;
        return true;
      },
    };
  }

  private enqueue(id: string, params: BatchJobParams): JobView {
    return this.runs.enqueue(id, params, clearFinish);
  }

  /** One run at a time per endpoint, and a bound on the runs the Space stores. */
  private assertRoom(owner: string, endpoints: readonly RunEndpoint[]): void {
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

  private owned(id: string, owner: string): Readonly<BatchRun> {
    const run = this.runs.find(id);
    if (!run || run.owner !== owner)
      throw new AppError(
        404,
        'batch_run_not_found',
        'There is no batch run with this id in your session. Runs are removed with their endpoint\u2019s session.',
      );
    return run;
  }

  private get(id: string): BatchRun {
    const run = this.runs.find(id);
    if (!run) throw new AppError(404, 'batch_run_not_found', 'There is no batch run with this id.');
    return run as BatchRun;
  }
}

/** A queued run has not finished (again). */
const clearFinish = (run: BatchRun) => void (run.finished_at = null);

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
