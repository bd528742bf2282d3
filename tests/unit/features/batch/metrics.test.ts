import { describe, expect, it } from 'vitest';
import { batchMetrics, metricsBySuite, percentile, timePerOutputToken, type PromptResult } from '../../../../server/features/batch/metrics.js';

const result = (over: Partial<PromptResult>): PromptResult => ({
  suite_id: 's',
  prompt_id: 'p',
  ok: true,
  error_code: null,
  latency_ms: 1000,
  ttft_ms: 200,
  tokens_in: 10,
  tokens_out: 41,
  cost_usd: 0.001,
  content_length: 160,
  check: null,
  ...over,
});

describe('percentiles (linear interpolation, type 7)', () => {
  it('matches NumPy on known values', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(xs, 50)).toBe(5.5);
    expect(percentile(xs, 95)).toBe(9.55);
    expect(percentile(xs, 99)).toBe(9.91);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile(xs, 100)).toBe(10);
    // numpy.percentile([15, 20, 35, 40, 50], [40, 90]) == [29.0, 46.0]
    expect(percentile([50, 15, 40, 35, 20], 40)).toBe(29);
    expect(percentile([50, 15, 40, 35, 20], 90)).toBe(46);
  });

  it('handles one value and none', () => {
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('batch metrics', () => {
  it('time per output token counts decode time after the first token', () => {
    expect(timePerOutputToken({ latency_ms: 1000, ttft_ms: 200, tokens_out: 41 })).toBe(20);
    expect(timePerOutputToken({ latency_ms: 1000, ttft_ms: null, tokens_out: 41 })).toBeNull();
    expect(timePerOutputToken({ latency_ms: 1000, ttft_ms: 200, tokens_out: 1 })).toBeNull();
  });

  it('summarises successes, failures by code, latency, tokens, cost and checks', () => {
    const m = batchMetrics([
      result({ latency_ms: 1000, check: 'pass' }),
      result({ latency_ms: 3000, ttft_ms: 1000, tokens_out: 101, check: 'fail', cost_usd: 0.003 }),
      result({
        ok: false,
        error_code: 'upstream_timeout',
        latency_ms: null,
        ttft_ms: null,
        tokens_out: null,
        tokens_in: null,
        cost_usd: null,
        content_length: 0,
      }),
      result({
        ok: false,
        error_code: 'upstream_timeout',
        latency_ms: null,
        ttft_ms: null,
        tokens_out: null,
        tokens_in: null,
        cost_usd: null,
        content_length: 0,
      }),
    ]);
    expect(m).toMatchObject({ count: 4, succeeded: 2, success_rate: 0.5, failures_by_code: { upstream_timeout: 2 } });
    expect(m.latency_ms).toEqual({ avg: 2000, min: 1000, max: 3000, p50: 2000, p95: 2900, p99: 2980 });
    expect(m.ttft_ms).toEqual({ p50: 600, p95: 960 });
    expect(m.tpot_ms).toEqual({ p50: 20, p95: 20 });
    expect(m.tokens_out).toBe(142);
    expect(m.output_tokens_per_s).toBe(35.5); // 142 tokens over 4 s of generation
    expect(m.cost_usd).toEqual({ total: 0.004, per_prompt: 0.002, known_for: 2 });
    expect(m.checks).toEqual({ run: 2, passed: 1, pass_rate: 0.5 });
  });

  it('says "unknown" rather than zero when nothing is known', () => {
    const m = batchMetrics([]);
    expect(m).toMatchObject({ count: 0, success_rate: null, output_tokens_per_s: null, cost_usd: { total: null } });
  });

  it('splits by suite', () => {
    const { overall, suites } = metricsBySuite([result({ suite_id: 'a' }), result({ suite_id: 'b', ok: false, error_code: 'x' })]);
    expect(overall.count).toBe(2);
    expect(suites.a!.success_rate).toBe(1);
    expect(suites.b!.success_rate).toBe(0);
  });
});
