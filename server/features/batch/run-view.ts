/** What the API shows of a batch run: its plan, results in run order, and metrics per endpoint and suite. */
import { metricsByEndpoint, timePerOutputToken, type EndpointMetrics } from './metrics.js';
import { runTasks } from './run-plan.js';
import type { JobState } from '../../core/jobs/job-types.js';
import { topicOf, type BatchResult, type BatchRun } from './run-types.js';

export interface ResultView extends Omit<BatchResult, 'finished_at'> {
  slot: string;
  tpot_ms: number | null;
  finished_at: string;
}

export type { EndpointMetrics };

export interface BatchRunView {
  id: string;
  /** The live topic to subscribe to (only the owner reads this view). */
  topic: string;
  state: JobState;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  endpoints: Array<BatchRun['endpoints'][number] & { index: number }>;
  suites: Array<{ id: string; name: string; domain: string; difficulty: string; prompt_count: number; custom: boolean }>;
  prompts: Array<{ suite_id: string; id: string; category: string; prompt: string; system: string | null; max_tokens: number; check_type: string | null }>;
  concurrency: number;
  timeout_s: number;
  temperature: number | null;
  judge: BatchRun['judge'];
  total: number;
  done: number;
  failed: number;
  results: ResultView[];
  metrics: EndpointMetrics[];
  /** What the judge cost, over every judged answer (the visitor's key pays it too). */
  judge_cost_usd: number | null;
  error: BatchRun['error'];
  job_id: string | null;
}

export function resultView(slot: string, r: BatchResult): ResultView {
  return { ...r, slot, tpot_ms: roundOrNull(timePerOutputToken(r)), finished_at: new Date(r.finished_at).toISOString() };
}

export function batchRunView(run: Readonly<BatchRun>): BatchRunView {
  const suites = run.suites;
  const tasks = runTasks(suites, run.endpoints.length);
  const results = tasks.flatMap((t) => {
    const r = run.results[t.slot];
    return r ? [resultView(t.slot, r)] : [];
  });
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: run.id,
    topic: topicOf(run),
    state: run.state,
    created_at: new Date(run.created_at).toISOString(),
    started_at: iso(run.started_at),
    finished_at: iso(run.finished_at),
    endpoints: run.endpoints.map((e, index) => ({ ...e, index })),
    suites: suites.map((s) => ({
      id: s.id,
      name: s.name,
      domain: s.domain,
      difficulty: s.difficulty,
      prompt_count: s.prompts.length,
      custom: s.domain === 'custom',
    })),
    prompts: suites.flatMap((s) =>
      s.prompts.map((p) => ({
        suite_id: s.id,
        id: p.id,
        category: p.category,
        prompt: p.prompt,
        system: p.system ?? null,
        max_tokens: p.max_tokens,
        check_type: p.check?.type ?? null,
      })),
    ),
    concurrency: run.concurrency,
    timeout_s: Math.round(run.timeout_ms / 1000),
    temperature: run.temperature,
    judge: run.judge,
    total: tasks.length,
    done: results.length,
    failed: results.filter((r) => !r.ok).length,
    results,
    metrics: metricsByEndpoint(results, run.endpoints.length),
    judge_cost_usd: judgeCost(results),
    error: run.error,
    job_id: run.job_id,
  };
}

/** A run without its results and prompts: for lists, and the live topic's first message. */
export function liveSummary(run: Readonly<BatchRun>) {
  const slots = runTasks(run.suites, run.endpoints.length).map((t) => t.slot);
  const results = slots.flatMap((slot) => (run.results[slot] ? [run.results[slot]] : []));
  return {
    id: run.id,
    state: run.state,
    created_at: new Date(run.created_at).toISOString(),
    finished_at: run.finished_at === null ? null : new Date(run.finished_at).toISOString(),
    endpoints: run.endpoints.map((e, index) => ({ ...e, index })),
    suites: run.suites.map((s) => s.id),
    total: slots.length,
    done: results.length,
    failed: results.filter((r) => !r.ok).length,
    error: run.error,
    job_id: run.job_id,
  };
}

function judgeCost(results: readonly ResultView[]): number | null {
  const costs = results.map((r) => r.judge_cost_usd).filter((c): c is number => c !== null);
  return costs.length ? Math.round(costs.reduce((a, b) => a + b, 0) * 1e8) / 1e8 : null;
}

function roundOrNull(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1000) / 1000;
}

// The page reads these views through shared/batch-types.js (JSDoc types): a change here that the
// page's types do not allow fails the type check, so the two cannot drift apart.
export const pageReads: {
  run: (v: BatchRunView) => import('../../../shared/batch-types.js').BatchRun;
  summary: (v: ReturnType<typeof liveSummary>) => import('../../../shared/batch-types.js').BatchRunSummary;
} = { run: (v) => v, summary: (v) => v };
