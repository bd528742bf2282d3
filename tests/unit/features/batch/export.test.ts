import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { exportCsv, exportJson, CSV_COLUMNS } from '../../../../server/features/batch/export.js';
import { escapeFormula } from '../../../../server/http/csv.js';
import { batchRunView } from '../../../../server/features/batch/run-view.js';
import { resultsSummary, SUMMARY_MAX_BYTES } from '../../../../server/features/batch/results-summary.js';
import type { BatchResult, BatchRun } from '../../../../server/features/batch/run-types.js';

const endpoint = (model: string) => ({ session_id: `bs_${model}`, label: '=label', base_url: 'https://api.example.com/v1', model });

function result(over: Partial<BatchResult>): BatchResult {
  return {
    suite_id: 'custom',
    prompt_id: 'p-1',
    endpoint: 0,
    ok: true,
    error_code: null,
    error_message: null,
    latency_ms: 200,
    ttft_ms: 50,
    tokens_in: 10,
    tokens_out: 31,
    cost_usd: null,
    content_length: 5,
    answer: 'hello',
    answer_truncated: false,
    check: null,
    check_detail: null,
    judge: null,
    judge_cost_usd: null,
    retries: 0,
    model_answered: '@m',
    finished_at: Date.UTC(2026, 10, 23),
    total_ms: 250,
    ...over,
  };
}

function run(results: Record<string, BatchResult>, prompts: string[]): BatchRun {
  return {
    id: 'batch_x',
    owner: 's',
    topic_key: 'secret-topic-key',
    created_at: 0,
    updated_at: 0,
    started_at: 0,
    finished_at: null,
    state: 'done',
    endpoints: [endpoint('m')],
    suites: [
      {
        id: 'custom',
        name: 'Mine',
        domain: 'custom',
        difficulty: 'custom',
        description: '',
        prompts: prompts.map((prompt, i) => ({ id: `p-${i + 1}`, category: 'general', prompt, max_tokens: 10 })),
      },
    ],
    concurrency: 2,
    timeout_ms: 60_000,
    temperature: null,
    judge: null,
    results,
    job_id: null,
    error: null,
  };
}

describe('batch export', () => {
  it('escapes formula cells, quotes commas, quotes and line breaks, one row per result with every column', () => {
    expect(['=1+1', '+A1', '-2', '@SUM(A1)', '\tx', 'plain', '2-1'].map(escapeFormula)).toEqual(["'=1+1", "'+A1", "'-2", "'@SUM(A1)", "'\tx", 'plain', '2-1']);
    const view = batchRunView(
      run(
        {
          '0/custom/p-1': result({ answer: '=cmd|" /C calc"!A0, then "quotes"\nand a line' }),
          '0/custom/p-2': result({
            prompt_id: 'p-2',
            ok: false,
            error_code: 'upstream_timeout',
            error_message: '-took too long',
            answer: '',
            tokens_out: null,
          }),
        },
        ['=HYPERLINK("http://evil")', 'second'],
      ),
    );
    const csv = exportCsv(view);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      prompt: '\'=HYPERLINK("http://evil")',
      answer: '\'=cmd|" /C calc"!A0, then "quotes"\nand a line',
      ok: 'true',
      latency_ms: '200',
      total_ms: '250',
      tpot_ms: '5',
      output_tokens_per_s: '155',
    });
    expect(rows[0]).toMatchObject({ label: "'=label", model_answered: "'@m" });
    expect(JSON.stringify(exportJson(view, { version: 'v', exported_at: 'now' }))).not.toContain('secret-topic-key');
    expect(view.topic).toBe('batch:batch_x-secret-topic-key');
    expect(rows[1]).toMatchObject({ ok: 'false', error_code: 'upstream_timeout', error_message: "'-took too long", tokens_out: '' });
  });

  it('summarises a run for the chat within its byte bound, failures first named', () => {
    const many: Record<string, BatchResult> = {};
    const prompts = Array.from({ length: 300 }, (_, i) => `prompt ${i} ${'long '.repeat(100)}`);
    prompts.forEach(
      (_, i) =>
        (many[`0/custom/p-${i + 1}`] = result({
          prompt_id: `p-${i + 1}`,
          ok: i % 3 !== 0,
          error_code: i % 3 === 0 ? 'upstream_error' : null,
          answer: 'x'.repeat(3000),
        })),
    );
    const text = resultsSummary(batchRunView(run(many, prompts)));
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(text).toContain('200/300 ok (67%) [failures: upstream_error×100]');
    expect(text).toContain('endpoint 1, custom/p-1 (general): call failed: upstream_error');
  });
});
