/** shared/: the math the server computes with and the page is served as it is (one copy). */
import { describe, expect, it } from 'vitest';
import { batchMetrics, metricsByEndpoint, metricsBySuite, type PromptResult } from '../../../shared/batch-metrics.js';
import { ELO_START, eloSeries, eloUpdate, type RatedMatch } from '../../../shared/elo.js';
import { percentile, round } from '../../../shared/numbers.js';
import * as serverElo from '../../../server/features/research/elo.js';
import * as serverMetrics from '../../../server/features/batch/metrics.js';
import { prng } from '../../helpers/prng.js';

const result = (over: Partial<PromptResult> & { endpoint?: number } = {}): PromptResult & { endpoint: number } => ({
  suite_id: 's1',
  prompt_id: 'p1',
  ok: true,
  error_code: null,
  latency_ms: 100,
  ttft_ms: 40,
  tokens_in: 10,
  tokens_out: 21,
  cost_usd: 0.001,
  content_length: 80,
  check: null,
  endpoint: 0,
  ...over,
});

describe('shared modules', () => {
  it('are what the server exports (no second copy)', () => {
    expect(serverElo.eloUpdate).toBe(eloUpdate);
    expect(serverElo.ELO_START).toBe(ELO_START);
    expect(serverMetrics.batchMetrics).toBe(batchMetrics);
    expect(serverMetrics.percentile).toBe(percentile);
  });

  it('rounds and interpolates percentiles', () => {
    expect(round(1.23456)).toBe(1.235);
    expect(round(1.23456, 1)).toBe(1.2);
    expect(percentile([], 50)).toBeNull();
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([1, 2], 150)).toBe(2); // clamped to 100
  });

  it('splits metrics per endpoint, each with its suites, as the run view sends them', () => {
    const results = [
      result({ endpoint: 0, suite_id: 'a', latency_ms: 100 }),
      result({ endpoint: 0, suite_id: 'b', latency_ms: 300, ok: false, error_code: 'timeout' }),
      result({ endpoint: 1, suite_id: 'a', latency_ms: 200 }),
    ];
    const [first, second, third] = metricsByEndpoint(results, 3);
    expect(first).toEqual({ endpoint: 0, ...metricsBySuite(results.slice(0, 2)) });
    expect(first!.overall.failures_by_code).toEqual({ timeout: 1 });
    expect(Object.keys(first!.suites).sort()).toEqual(['a', 'b']);
    expect(second!.overall.latency_ms.p50).toBe(200);
    expect(third).toEqual({ endpoint: 2, ...metricsBySuite([]) });
    expect(third!.overall.count).toBe(0);
  });

  it("replays a tournament's Elo from its matches to the ratings the server gave", () => {
    const rand = prng(7);
    const ids = ['h1', 'h2', 'h3', 'h4', 'h5'];
    const ratings = new Map(ids.map((id) => [id, ELO_START]));
    const matches: RatedMatch[] = [];
    for (let m = 0; m < 200; m++) {
      const a = ids[Math.floor(rand() * ids.length)]!;
      const b = ids.filter((x) => x !== a)[Math.floor(rand() * (ids.length - 1))]!;
      const side = rand() < 0.5 ? 'a' : 'b';
      const before = { a: ratings.get(a)!, b: ratings.get(b)! };
      const r = eloUpdate(before.a, before.b, side, 24);
      matches.push({ a, b, winner: side === 'a' ? a : b, elo_before: before, elo_delta: r.delta });
      ratings.set(a, r.a);
      ratings.set(b, r.b);
    }
    const { series, min, max, count } = eloSeries(matches, ids.slice(0, 3));
    expect(count).toBe(200);
    expect(series.map((s) => s.id)).toEqual(['h1', 'h2', 'h3']);
    for (const s of series) {
      expect(s.points.at(-1)).toEqual([200, ratings.get(s.id)]);
      for (const [, elo] of s.points) expect(elo >= min && elo <= max).toBe(true);
    }
    expect(eloSeries([], ['h1'])).toEqual({ series: [], min: ELO_START, max: ELO_START, count: 0 });
  });
});
