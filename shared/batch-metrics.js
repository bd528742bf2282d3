// @ts-check
/**
 * Performance metrics of a batch run, per endpoint, per suite and overall. The server computes
 * them for the run it sends; the page computes them from the results that have landed while a
 * run is live, with this same module (served as /shared/batch-metrics.js). Pure.
 */
import { percentile, round } from './numbers.js';

/**
 * One prompt's outcome, as the runner records it.
 * @typedef {{
 *   suite_id: string,
 *   prompt_id: string,
 *   ok: boolean,
 *   error_code: string | null,
 *   latency_ms: number | null,
 *   ttft_ms: number | null,
 *   tokens_in: number | null,
 *   tokens_out: number | null,
 *   cost_usd: number | null,
 *   content_length: number,
 *   check: 'pass' | 'fail' | null,
 * }} PromptResult error_code: the typed error code when the call failed; ttft_ms: time to first token
 *   (streamed calls); check: null when the prompt has no check (or the call failed before one could run)
 */

/** @typedef {{ p50: number | null, p95: number | null }} Spread */

/**
 * @typedef {{
 *   count: number,
 *   succeeded: number,
 *   success_rate: number | null,
 *   failures_by_code: Record<string, number>,
 *   latency_ms: { avg: number | null, min: number | null, max: number | null, p50: number | null, p95: number | null, p99: number | null },
 *   ttft_ms: Spread,
 *   tpot_ms: Spread,
 *   tokens_in: number,
 *   tokens_out: number,
 *   output_tokens_per_s: number | null,
 *   avg_response_chars: number | null,
 *   cost_usd: { total: number | null, per_prompt: number | null, known_for: number },
 *   checks: { run: number, passed: number, pass_rate: number | null },
 * }} BatchMetrics tpot_ms: time per output token after the first (decode speed), as LLM serving
 *   benchmarks report it; output_tokens_per_s: over all successful calls
 */

/** @typedef {{ overall: BatchMetrics, suites: Record<string, BatchMetrics> }} SuiteMetrics */
/** @typedef {SuiteMetrics & { endpoint: number }} EndpointMetrics */

/**
 * Decode time per token after the first, for a streamed call with at least two output tokens.
 * @param {Pick<PromptResult, 'latency_ms' | 'ttft_ms' | 'tokens_out'>} r
 * @returns {number | null}
 */
export function timePerOutputToken(r) {
  if (r.latency_ms === null || r.ttft_ms === null || r.tokens_out === null || r.tokens_out < 2) return null;
  return (r.latency_ms - r.ttft_ms) / (r.tokens_out - 1);
}

/**
 * @param {readonly PromptResult[]} results
 * @returns {BatchMetrics}
 */
export function batchMetrics(results) {
  const ok = results.filter((r) => r.ok);
  const latency = nums(ok.map((r) => r.latency_ms));
  const ttft = nums(ok.map((r) => r.ttft_ms));
  const tpot = nums(ok.map(timePerOutputToken));
  const costs = nums(results.map((r) => r.cost_usd));
  const checked = results.filter((r) => r.check !== null);
  const passed = checked.filter((r) => r.check === 'pass').length;
  /** @type {Record<string, number>} */
  const failures = {};
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
    checks: { run: checked.length, passed, pass_rate: ratio(passed, checked.length) },
  };
}

/**
 * Metrics per suite and overall.
 * @param {readonly PromptResult[]} results
 * @returns {SuiteMetrics}
 */
export function metricsBySuite(results) {
  /** @type {Record<string, BatchMetrics>} */
  const suites = {};
  for (const id of new Set(results.map((r) => r.suite_id))) suites[id] = batchMetrics(results.filter((r) => r.suite_id === id));
  return { overall: batchMetrics(results), suites };
}

/**
 * Per endpoint (0 … endpoints-1), overall and per suite: a batch run's `metrics`.
 * @param {readonly (PromptResult & { endpoint: number })[]} results
 * @param {number} endpoints
 * @returns {EndpointMetrics[]}
 */
export function metricsByEndpoint(results, endpoints) {
  return Array.from({ length: endpoints }, (_, endpoint) => ({ endpoint, ...metricsBySuite(results.filter((r) => r.endpoint === endpoint)) }));
}

/** @param {ReadonlyArray<number | null>} xs @returns {number[]} the finite ones */
const nums = (xs) => /** @type {number[]} */ (xs.filter((x) => x !== null && Number.isFinite(x)));
/** @param {readonly number[]} xs */
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
/** @param {readonly number[]} xs */
const mean = (xs) => (xs.length ? round(sum(xs) / xs.length) : null);
/** @param {number} a @param {number} b */
const ratio = (a, b) => (b ? round(a / b, 4) : null);
