/** What the API shows of a batch run: its plan, results in run order, and metrics per endpoint and suite. */
import { metricsBySuite, timePerOutputToken, type BatchMetrics } from './metrics.js';
import { runSuites, runTasks } from './run-plan.js';
import type { BatchResult, BatchRun, BatchRunState } from './run-types.js';

export interface ResultView extends Omit<BatchResult, 'finished_at'> {
  slot: string;
  tpot_ms: number | null;
  finished_at: string;
}

export interface EndpointMetrics {
  endpoint: number;
  overall: BatchMetrics;
  suites: Record<string, BatchMetrics>;
}

export interface BatchRunView {
  id: string;
  state: BatchRunState;
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
  error: BatchRun['error'];
  job_id: string | null;
}

export function resultView(slot: string, r: BatchResult): ResultView {
  return { ...r, slot, tpot_ms: roundOrNull(timePerOutputToken(r)), finished_at: new Date(r.finished_at).toISOString() };
}

export function batchRunView(run: Readonly<BatchRun>): BatchRunView {
  const suites = runSuites(run);
  const tasks = runTasks(suites, run.endpoints.length);
  const results = tasks.flatMap((t) => {
    const r = run.results[t.slot];
    return r ? [resultView(t.slot, r)] : [];
  });
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: run.id,
    state: run.state,
    created_at: new Date(run.created_at).toISOString(),
    started_at: iso(run.started_at),
    finished_at: iso(run.finished_at),
    endpoints: run.endpoints.map((e, index) => ({ ...e, index })),
    suites: suites.map((s) => ({ id: s.id, name: s.name, domain: s.domain, difficulty: s.difficulty, prompt_count: s.prompts.length, custom: s === run.custom_suite })),
    prompts: suites.flatMap((s) => s.prompts.map((p) => ({ suite_id: s.id, id: p.id, category: p.category, prompt: p.prompt, system: p.system ?? null, max_tokens: p.max_tokens, check_type: p.check?.type ?? null }))),
    concurrency: run.concurrency,
    timeout_s: Math.round(run.timeout_ms / 1000),
    temperature: run.temperature,
    judge: run.judge,
    total: tasks.length,
    done: results.length,
    failed: results.filter((r) => !r.ok).length,
    results,
    metrics: run.endpoints.map((_, endpoint) => ({ endpoint, ...metricsBySuite(results.filter((r) => r.endpoint === endpoint)) })),
    error: run.error,
    job_id: run.job_id,
  };
}

/** A run in a list: no results, no prompts. */
export function batchRunSummary(run: Readonly<BatchRun>) {
  const v = batchRunView(run);
  return { id: v.id, state: v.state, created_at: v.created_at, finished_at: v.finished_at, endpoints: v.endpoints, suites: v.suites.map((s) => s.id), total: v.total, done: v.done, failed: v.failed };
}

function roundOrNull(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1000) / 1000;
}
