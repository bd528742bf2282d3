/**
 * Batch run exports. CSV: one row per prompt and endpoint with every metric column (quoting and
 * formula escaping in http/csv.ts). JSON: the whole run view plus metadata.
 */
import { toCsv } from '../../http/csv.js';
import type { BatchRunView } from './run-view.js';

export const CSV_COLUMNS = [
  'run_id',
  'endpoint',
  'label',
  'base_url',
  'model',
  'model_answered',
  'suite_id',
  'prompt_id',
  'category',
  'ok',
  'error_code',
  'error_message',
  'latency_ms',
  'ttft_ms',
  'tpot_ms',
  'tokens_in',
  'tokens_out',
  'output_tokens_per_s',
  'cost_usd',
  'total_ms',
  'check_type',
  'check',
  'check_detail',
  'judge_score',
  'judge_cost_usd',
  'retries',
  'response_chars',
  'finished_at',
  'prompt',
  'answer',
] as const;

export function exportCsv(view: BatchRunView): string {
  const prompts = new Map(view.prompts.map((p) => [`${p.suite_id}/${p.id}`, p]));
  const rows = view.results.map((r) => {
    const ep = view.endpoints[r.endpoint]!;
    const p = prompts.get(`${r.suite_id}/${r.prompt_id}`);
    const perS = r.ok && r.tokens_out !== null && r.latency_ms ? Math.round((r.tokens_out / (r.latency_ms / 1000)) * 100) / 100 : null;
    return [
      view.id,
      r.endpoint,
      ep.label ?? '',
      ep.base_url,
      ep.model,
      r.model_answered ?? '',
      r.suite_id,
      r.prompt_id,
      p?.category ?? '',
      r.ok,
      r.error_code ?? '',
      r.error_message ?? '',
      r.latency_ms,
      r.ttft_ms,
      r.tpot_ms,
      r.tokens_in,
      r.tokens_out,
      perS,
      r.cost_usd,
      r.total_ms,
      p?.check_type ?? '',
      r.check ?? '',
      r.check_detail ?? '',
      r.judge?.score ?? null,
      r.judge_cost_usd,
      r.retries,
      r.content_length,
      r.finished_at,
      p?.prompt ?? '',
      r.answer,
    ];
  });
  return toCsv(CSV_COLUMNS, rows);
}

/** The whole run, minus its live topic (an export is shared; the topic is for the owner's page). */
export function exportJson(view: BatchRunView, meta: { version: string; exported_at: string }) {
  const { topic: _topic, ...rest } = view;
  return { labcoat: { version: meta.version, kind: 'batch-run', exported_at: meta.exported_at }, ...rest };
}
