// @ts-check
/** Buckets and round steps for the latency histogram (drawing only: the metrics are shared/batch-metrics.js). Pure. */

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
