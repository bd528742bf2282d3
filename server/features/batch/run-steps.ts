/**
 * A batch run's job: every open slot, at most `concurrency` calls in flight per endpoint. Each
 * result is stored in its slot, journaled, and published on the run's live topic once it is on
 * disk, with progress and ETA: a crash never loses a result anyone saw, and a resume never pays
 * for it again.
 */
import type { Clock } from '../../core/clock.js';
import { AppError } from '../../core/errors/app-error.js';
import type { JobContext } from '../../core/jobs/job-types.js';
import type { KindRuns } from '../../core/jobs/run-lifecycle.js';
import type { LlmClient } from '../../core/llm/llm-client.js';
import type { Publisher } from '../../core/realtime/hub.js';
import { ownEntry } from '../../core/store/own-entry.js';
import type { Store } from '../../core/store/store.js';
import type { BatchSessions } from './batch-sessions.js';
import { BoundedRegex } from './bounded-regex.js';
import { runPool } from './pool.js';
import { runPrompt } from './prompt-runner.js';
import { runTasks, type Task } from './run-plan.js';
import { topicOf, type BatchResult, type BatchRun } from './run-types.js';
import { resultView } from './run-view.js';
import { StoredAnswers } from './stored-answers.js';

export type BatchJobParams = { run_id: string; retry?: string[] };
export type BatchRuns = KindRuns<'batch_runs', BatchRun, BatchJobParams>;

export interface BatchStepsDeps {
  store: Store<{ batch_runs: Record<string, BatchRun> }>;
  runs: BatchRuns;
  clock: Clock;
  publisher: Publisher;
  llm: LlmClient;
  sessions: BatchSessions;
  /** A run holds a job slot (shared with research) at most this long at a time; Resume continues it. */
  maxRunMs: number;
}

/** The marks of a run that ended by itself or by a cancel (its results stay). */
export const ended = (state: 'done' | 'cancelled', now: number) => (r: BatchRun) => {
  r.state = state;
  r.finished_at = now;
  r.error = null;
};

/** Slots without a result, and those asked to run again, in run order. */
export function openTasks(run: Readonly<BatchRun>, again: ReadonlySet<string>): Task[] {
  return runTasks(run.suites, run.endpoints.length).filter((t) => !run.results[t.slot] || again.has(t.slot));
}

export async function runBatchSteps(run: Readonly<BatchRun>, params: BatchJobParams, ctx: JobContext, deps: BatchStepsDeps): Promise<unknown> {
  const id = run.id;
  const began = deps.clock.now();
  // A slow endpoint must not hold a job slot for hours: the run stops at its time limit, resumable.
  const timeLimit = new AbortController();
  const timer = setTimeout(() => timeLimit.abort(), deps.maxRunMs);
  const signal = AbortSignal.any([ctx.signal, timeLimit.signal]);
  try {
    const targets = run.endpoints.map((e) => ({ ...deps.sessions.target(e.session_id, run.owner), model: e.model }));
    const judge = run.judge ? { ...targets[run.judge.endpoint]!, model: run.judge.model } : null;
    const open = openTasks(run, new Set(params.retry ?? []));
    const total = runTasks(run.suites, run.endpoints.length).length;
    deps.runs.update(id, (r) => {
      r.state = 'running';
      r.error = null;
      r.started_at ??= began;
    });
    deps.runs.publish(id);
    const progress: Progress = { done: total - open.length, total, doneNow: 0, began, warmup: run.concurrency * run.endpoints.length };
    const answers = new StoredAnswers(Object.values(run.results));
    const callDeps = { llm: deps.llm, clock: deps.clock, regex: new BoundedRegex(), timeoutMs: run.timeout_ms, temperature: run.temperature, answers };
    await Promise.all(
      run.endpoints.map((_, e) =>
        runPool(
          open.filter((t) => t.endpoint === e),
          run.concurrency,
          signal,
          async (task) => {
            const result = await runPrompt(task, targets[e]!, judge, callDeps, signal);
            if (result) record(id, task, result, progress, ctx, deps);
          },
        ),
      ),
    );
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (timeLimit.signal.aborted)
      throw new AppError(
        408,
        'run_time_limit',
        `The run stopped after ${Math.round(deps.maxRunMs / 1000)} seconds so other visitors get their turn; its results are kept. Resume it to run the prompts left.`,
      );
    deps.runs.update(id, ended('done', deps.clock.now()));
    deps.runs.publish(id);
    return { run_id: id, done: progress.done };
  } finally {
    clearTimeout(timer);
  }
}

/** Stores a result and journals it; the hub sends the news once the line is on disk. */
function record(id: string, task: Task, result: BatchResult, progress: Progress, ctx: JobContext, deps: BatchStepsDeps): void {
  const run = deps.runs.find(id);
  if (!run) return; // deleted with its session while the call was out
  if (run.results[task.slot] === undefined) progress.done++; // a retried slot replaces its old result
  const now = deps.clock.now();
  deps.store.update((s) => {
    const r = ownEntry(s.batch_runs, id);
    if (!r) return;
    r.results[task.slot] = result;
    r.updated_at = now;
  });
  void deps.store.persist([
    ['batch_runs', id, 'results', task.slot],
    ['batch_runs', id, 'updated_at'],
  ]);
  progress.doneNow++;
  const topic = topicOf(run);
  deps.publisher.publish(topic, { type: 'event', kind: 'result', result: resultView(task.slot, result) });
  deps.publisher.publish(topic, {
    type: 'progress',
    step: 'prompts',
    done: progress.done,
    total: progress.total,
    eta_s: etaSeconds(progress, now),
    message: `${progress.done} of ${progress.total} prompts`,
  });
  ctx.progress(progress.done, progress.total);
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
