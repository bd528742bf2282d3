// @ts-check
/**
 * Metrics of a run while it is still going, worked out here from the results that have landed,
 * the way the server works them out (same percentiles, linear between closest ranks, and the
 * same rounding). The server's own metrics replace these as soon as it sends them. Pure.
 */

/** @typedef {import('./batch-types.js').BatchResult} BatchResult */
/** @typedef {import('./batch-types.js').Metrics} Metrics */
/** @typedef {import('./batch-types.js').EndpointMetrics} EndpointMetrics */

/** @param {number} x @param {number} [digits] */
const round = (x, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
/** @param {number[]} xs */
const total = (xs) => xs.reduce((a, b) => a + b, 0);
/** @param {number[]} xs */
const avg = (xs) => (xs.length > 0 ? round(total(xs) / xs.length) : null);
/** @param {number} part @param {number} whole */
const share = (part, whole) => (whole > 0 ? round(part / whole, 4) : null);
/** @param {Array<number | null>} xs the measured ones only */
const known = (xs) => /** @type {number[]} */ (xs.filter((x) => typeof x === 'number' && Number.isFinite(x)));

/**
 * @param {number[]} values
 * @param {number} p 0..100
 * @returns {number | null}
 */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = ((sorted.length - 1) * p) / 100;
  const below = Math.floor(rank);
  const low = sorted[below] ?? 0;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? low;
  return round(low + (rank - below) * (high - low));
}

/** @param {BatchResult[]} results @returns {Metrics} */
export function metricsOf(results) {
  const ok = results.filter((r) => r.ok);
  const latency = known(ok.map((r) => r.latency_ms));
  const ttft = known(ok.map((r) => r.ttft_ms));
  const tpot = known(ok.map((r) => r.tpot_ms));
  const costs = known(results.map((r) => r.cost_usd));
  const checked = results.filter((r) => r.check !== null);
  const passed = checked.filter((r) => r.check === 'pass').length;
  /** @type {Record<string, number>} */
  const failures = {};
  for (const r of results) {
    const code = r.error_code ?? 'unknown';
    if (!r.ok) failures[code] = (failures[code] ?? 0) + 1;
  }
  const tokensOut = total(known(ok.map((r) => r.tokens_out)));
  const seconds = total(latency) / 1000;
  return {
    count: results.length,
    succeeded: ok.length,
    success_rate: share(ok.length, results.length),
    failures_by_code: failures,
    latency_ms: {
      avg: avg(latency),
      min: latency.length > 0 ? Math.min(...latency) : null,
      max: latency.length > 0 ? Math.max(...latency) : null,
      p50: percentile(latency, 50),
      p95: percentile(latency, 95),
      p99: percentile(latency, 99),
    },
    ttft_ms: { p50: percentile(ttft, 50), p95: percentile(ttft, 95) },
    tpot_ms: { p50: percentile(tpot, 50), p95: percentile(tpot, 95) },
    tokens_in: total(known(results.map((r) => r.tokens_in))),
    tokens_out: tokensOut,
    output_tokens_per_s: seconds > 0 ? round(tokensOut / seconds) : null,
    avg_response_chars: avg(ok.map((r) => r.content_length)),
    cost_usd: {
      total: costs.length > 0 ? round(total(costs), 8) : null,
      per_prompt: costs.length > 0 ? round(total(costs) / costs.length, 8) : null,
      known_for: costs.length,
    },
    checks: { run: checked.length, passed, pass_rate: share(passed, checked.length) },
  };
}

/**
 * Per endpoint, overall and per suite, shaped like the server's `metrics`.
 * @param {BatchResult[]} results
 * @param {number} endpoints
 * @returns {EndpointMetrics[]}
 */
export function liveMetrics(results, endpoints) {
  return Array.from({ length: endpoints }, (_, endpoint) => {
    const mine = results.filter((r) => r.endpoint === endpoint);
    /** @type {Record<string, Metrics>} */
    const suites = {};
    for (const id of new Set(mine.map((r) => r.suite_id))) suites[id] = metricsOf(mine.filter((r) => r.suite_id === id));
    return { endpoint, overall: metricsOf(mine), suites };
  });
}

/** @param {number} rough @returns {number} the smallest of 1, 2 or 5 × a power of ten that is at least `rough` */
export function roundStep(rough) {
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((w) => w >= rough) ?? 10 * power;
}

/**
 * Buckets for a latency histogram: a round width (1, 2 or 5 × a power of ten) giving at most
 * `most` buckets from 0 to the slowest answer, and how many answers of each endpoint fall in each.
 * @param {number[][]} series latencies in ms, one list per endpoint
 * @param {number} [most]
 * @returns {{ width: number, buckets: Array<{ from: number, to: number, counts: number[] }> }}
 */
export function latencyBuckets(series, most = 12) {
  const slowest = Math.max(1, ...series.flat());
  const width = roundStep(slowest / most);
  const n = Math.max(1, Math.ceil(slowest / width));
  const buckets = Array.from({ length: n }, (_, i) => ({ from: i * width, to: (i + 1) * width, counts: series.map(() => 0) }));
  series.forEach((values, s) => {
    for (const v of values) {
      const b = buckets[Math.min(n - 1, Math.floor(v / width))];
      if (b) b.counts[s] = (b.counts[s] ?? 0) + 1;
    }
  });
  return { width, buckets };
}
