import { describe, expect, it } from 'vitest';
import { parsePrice } from '../../server/accounting/pricing.js';
import { maxCallCost } from '../../server/accounting/estimate.js';
import { curatedSuites } from '../../server/engines/batch/curated-suites.js';
import { escapeFormula, exportCsv, CSV_COLUMNS } from '../../server/engines/batch/export.js';
import { JUDGE_MAX_PROMPT_BYTES, judgeRequest, readVerdict } from '../../server/engines/batch/judge.js';
import { runPool } from '../../server/engines/batch/pool.js';
import { estimateBatch, promptShape, runSuites, runTasks } from '../../server/engines/batch/run-plan.js';
import { batchRunView } from '../../server/engines/batch/run-view.js';
import { resultsSummary, SUMMARY_MAX_BYTES } from '../../server/engines/batch/results-summary.js';
import type { BatchResult, BatchRun } from '../../server/engines/batch/run-types.js';
import { parse } from 'csv-parse/sync';

const endpoint = (model: string) => ({ session_id: `bs_${model}`, label: null, base_url: 'https://api.example.com/v1', model });

describe('batch run plan', () => {
  it('orders slots prompt by prompt with the endpoints side by side', () => {
    const suites = runSuites({ suite_ids: ['code-easy', 'factual-easy'], custom_suite: null });
    const tasks = runTasks(suites, 2);
    expect(tasks).toHaveLength(40);
    expect(tasks.slice(0, 3).map((t) => t.slot)).toEqual(['0/code-easy/code-easy-01', '1/code-easy/code-easy-01', '0/code-easy/code-easy-02']);
    expect(new Set(tasks.map((t) => t.slot)).size).toBe(40);
  });

  it('refuses an unknown suite id', () => {
    expect(() => runSuites({ suite_ids: ['nope'], custom_suite: null })).toThrow(/There is no suite "nope"/);
  });

  it('estimates the worst case with the pricing code that reserves, judge calls on the judging endpoint', () => {
    const suites = runSuites({ suite_ids: ['support-medium'], custom_suite: null });
    const price = parsePrice('0.000001', '0.000002')!;
    const priceOf = (m: string) => (m === 'known/model' ? price : null);
    const judged = suites[0]!.prompts.filter((p) => p.check?.type === 'judge').length;
    expect(judged).toBeGreaterThan(0);
    const est = estimateBatch(suites, [endpoint('known/model'), endpoint('other/model')], { endpoint: 0, model: 'known/model' }, priceOf);
    expect(est).toMatchObject({ prompts: 10, total: 20, max_usd: null });
    expect(est.endpoints[0]).toMatchObject({ calls: 10 + 2 * judged, judge_calls: 2 * judged });
    expect(est.endpoints[1]).toMatchObject({ calls: 10, judge_calls: 0, max_usd: null });
    const own = suites[0]!.prompts.reduce((a, p) => a + maxCallCost(promptShape(p), price)!, 0);
    const judge = 2 * judged * maxCallCost({ prompt_bytes: JUDGE_MAX_PROMPT_BYTES, messages: 2, max_tokens: 200 }, price)!;
    expect(est.endpoints[0]!.max_usd).toBeCloseTo(own + judge, 8);
    const solo = estimateBatch(suites, [endpoint('known/model')], null, priceOf);
    expect(solo.max_usd).toBeCloseTo(own, 8);
  });

  it('a judge prompt stays within the bytes the estimate prices, whatever the answer', () => {
    const req = judgeRequest('p'.repeat(50_000), 'a'.repeat(50_000), 'r'.repeat(5000));
    const bytes = req.messages.reduce((a, m) => a + Buffer.byteLength(m.content, 'utf8'), 0);
    expect(bytes).toBeLessThanOrEqual(JUDGE_MAX_PROMPT_BYTES);
  });

  it('reads a judge verdict from JSON (fences tolerated), or nothing', () => {
    expect(readVerdict('```json\n{"score": 4, "reason": "polite"}\n```')).toEqual({ score: 4, reason: 'polite' });
    expect(readVerdict('{"score": "5"}')).toEqual({ score: 5, reason: '' });
    expect(readVerdict('{"score": 9}')).toBeNull();
    expect(readVerdict('I would say 4')).toBeNull();
  });
});

describe('bounded concurrency', () => {
  it('never has more than the limit in flight, runs every item once, and stops starting on abort', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const items = Array.from({ length: 25 }, (_, i) => i);
    await runPool(items, 4, new AbortController().signal, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      seen.push(i);
      inFlight--;
    });
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual(items);

    const abort = new AbortController();
    const started: number[] = [];
    await runPool(items, 3, abort.signal, async (i) => {
      started.push(i);
      if (i === 4) abort.abort();
      await new Promise((r) => setImmediate(r));
    });
    expect(started.length).toBeLessThanOrEqual(6);
  });
});

function result(over: Partial<BatchResult>): BatchResult {
  return {
    suite_id: 'custom', prompt_id: 'p-1', endpoint: 0, ok: true, error_code: null, error_message: null, latency_ms: 200, ttft_ms: 50, tokens_in: 10, tokens_out: 31,
    cost_usd: null, content_length: 5, answer: 'hello', answer_truncated: false, check: null, check_detail: null, judge: null, judge_cost_usd: null, retries: 0,
    model_answered: 'm', finished_at: Date.UTC(2026, 10, 23), ...over,
  };
}

function run(results: Record<string, BatchResult>, prompts: string[]): BatchRun {
  return {
    id: 'batch_x', owner: 's', created_at: 0, updated_at: 0, started_at: 0, finished_at: null, state: 'done', endpoints: [endpoint('m')], suite_ids: [],
    custom_suite: { id: 'custom', name: 'Mine', domain: 'custom', difficulty: 'custom', description: '', prompts: prompts.map((prompt, i) => ({ id: `p-${i + 1}`, category: 'general', prompt, max_tokens: 10 })) },
    concurrency: 2, timeout_ms: 60_000, temperature: null, judge: null, results, job_id: null, error: null, active_ms: 0,
  };
}

describe('batch export', () => {
  it('escapes formula cells, quotes commas, quotes and line breaks, one row per result with every column', () => {
    expect(['=1+1', '+A1', '-2', '@SUM(A1)', '\tx', 'plain', '2-1'].map(escapeFormula)).toEqual(["'=1+1", "'+A1", "'-2", "'@SUM(A1)", "'\tx", 'plain', '2-1']);
    const view = batchRunView(run({ '0/custom/p-1': result({ answer: '=cmd|" /C calc"!A0, then "quotes"\nand a line' }), '0/custom/p-2': result({ prompt_id: 'p-2', ok: false, error_code: 'upstream_timeout', error_message: '-took too long', answer: '', tokens_out: null }) }, ['=HYPERLINK("http://evil")', 'second']));
    const csv = exportCsv(view);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ prompt: '\'=HYPERLINK("http://evil")', answer: '\'=cmd|" /C calc"!A0, then "quotes"\nand a line', ok: 'true', latency_ms: '200', tpot_ms: '5', output_tokens_per_s: '155' });
    expect(rows[1]).toMatchObject({ ok: 'false', error_code: 'upstream_timeout', error_message: "'-took too long", tokens_out: '' });
  });

  it('summarises a run for the chat within its byte bound, failures first named', () => {
    const many: Record<string, BatchResult> = {};
    const prompts = Array.from({ length: 300 }, (_, i) => `prompt ${i} ${'long '.repeat(100)}`);
    prompts.forEach((_, i) => (many[`0/custom/p-${i + 1}`] = result({ prompt_id: `p-${i + 1}`, ok: i % 3 !== 0, error_code: i % 3 === 0 ? 'upstream_error' : null, answer: 'x'.repeat(3000) })));
    const text = resultsSummary(batchRunView(run(many, prompts)));
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(text).toContain('200/300 ok (67%) [failures: upstream_error×100]');
    expect(text).toContain('endpoint 1, custom/p-1 (general): call failed: upstream_error');
  });
});
