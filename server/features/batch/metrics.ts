/**
 * Performance metrics of a batch run, per suite and overall. Percentiles use linear interpolation
 * between closest ranks (Hyndman & Fan type 7, the default of NumPy and R): for sorted values
 * x[0..n-1], p-th percentile = x[h] + (h - floor(h)) * (x[floor(h)+1] - x[floor(h)]), h = (n - 1) * p / 100.
 */

/** One prompt's outcome, as the runner records it. */
export interface PromptResult {
  suite_id: string;
  prompt_id: string;
  ok: boolean;
  /** The typed error code when the call failed. */
  error_code: string | null;
  latency_ms: number | null;
  /** Time to first token (streamed calls). */
  ttft_ms: number | null;
  tokens_in: number | null;
  tokens_out: number | null;
  cost_usd: number | null;
  content_length: number;
  /** null when the prompt has no check (or the call failed before one could run). */
  check: 'pass' | 'fail' | null;
}

export interface Spread {
  p50: number | null;
  p95: number | null;
}

export interface BatchMetrics {
  count: number;
  succeeded: number;
  success_rate: number | null;
  failures_by_code: Record<string, number>;
  latency_ms: { avg: number | null; min: number | null; max: number | null; p50: number | null; p95: number | null; p99: number | null };
  ttft_ms: Spread;
  /** Time per output token after the first (decode speed), as LLM serving benchmarks report it. */
  tpot_ms: Spread;
  tokens_in: number;
  tokens_out: number;
  /** Output tokens per second of generation, over all successful calls. */
  output_tokens_per_s: number | null;
  avg_response_chars: number | null;
  cost_usd: { total: number | null; per_prompt: number | null; known_for: number };
  checks: { run: number; passed: number; pass_rate: number | null };
}

/** The p-th percentile (0–100) of `values` by linear interpolation (type 7); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = ((sorted.length - 1) * Math.min(100, Math.max(0, p))) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return round(sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!));
}

/** Decode time per token after the first, for a streamed call with at least two output tokens. */
export function timePerOutputToken(r: Pick<PromptResult, 'latency_ms' | 'ttft_ms' | 'tokens_out'>): number | null {
  if (r.latency_ms === null || r.ttft_ms === null || r.tokens_out === null || r.tokens_out < 2) return null;
  return (r.latency_ms - r.ttft_ms) / (r.tokens_out - 1);
}

export function batchMetrics(results: readonly PromptResult[]): BatchMetrics {
  const ok = results.filter((r) => r.ok);
  const nums = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null && Number.isFinite(x));
  const latency = nums(ok.map((r) => r.latency_ms));
  const ttft = nums(ok.map((r) => r.ttft_ms));
  const tpot = nums(ok.map(timePerOutputToken));
  const costs = nums(results.map((r) => r.cost_usd));
  const checked = results.filter((r) => r.check !== null);
  const failures: Record<string, number> = {};
  for (const r of results) if (!r.ok) failures[r.error_code ?? 'unknown'] = (failures[r.error_code ?? 'unknown'] ?? 0) + 1;
  const tokensOut = sum(nums(ok.map((r) => r.tokens_out)));
  const generationS = sum(latency) / 1000;
  return {
    count: results.length,
    succeeded: ok.length,
    success_rate: ratio(ok.length, results.length),
    failures_by_code: failures,
    latency_ms: {
      avg: mean(latency),
      min: latency.length ? Math.min(...latency) : null,
      max: latency.length ? Math.max(...latency) : null,
      p50: percentile(latency, 50),
      p95: percentile(latency, 95),
      p99: percentile(latency, 99),
    },
    ttft_ms: { p50: percentile(ttft, 50), p95: percentile(ttft, 95) },
    tpot_ms: { p50: percentile(tpot, 50), p95: percentile(tpot, 95) },
    tokens_in: sum(nums(results.map((r) => r.tokens_in))),
    tokens_out: tokensOut,
    output_tokens_per_s: generationS > 0 ? round(tokensOut / generationS) : null,
    avg_response_chars: mean(ok.map((r) => r.content_length)),
    cost_usd: {
      total: costs.length ? round(sum(costs), 8) : null,
      per_prompt: costs.length ? round(sum(costs) / costs.length, 8) : null,
      known_for: costs.length,
    },
    checks: {
      run: checked.length,
      passed: checked.filter((r) => r.check === 'pass').length,
      pass_rate: ratio(checked.filter((r) => r.check === 'pass').length, checked.length),
    },
  };
}

/** Metrics per suite and overall. */
export function metricsBySuite(results: readonly PromptResult[]): { overall: BatchMetrics; suites: Record<string, BatchMetrics> } {
  const suites: Record<string, BatchMetrics> = {};
  for (const id of new Set(results.map((r) => r.suite_id))) suites[id] = batchMetrics(results.filter((r) => r.suite_id === id));
  return { overall: batchMetrics(results), suites };
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]) => (xs.length ? round(sum(xs) / xs.length) : null);
const ratio = (a: number, b: number) => (b ? round(a / b, 4) : null);
function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
