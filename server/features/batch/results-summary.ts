/**
 * The compact account of a run a model is given to answer questions about it: settings, metrics
 * per endpoint and suite, failures, and the failed checks with a snippet of each answer. Bounded
 * in bytes, so a chat turn's size (and cost) does not grow with the run.
 */
import { cutUtf8 } from '../../core/llm/structured.js';
import type { ChatMessage } from '../../core/llm/llm-client.js';
import type { BatchMetrics } from './metrics.js';
import type { BatchRunView } from './run-view.js';

export const SUMMARY_MAX_BYTES = 12_000;
const FAILED_SHOWN = 12;
const SNIPPET_CHARS = 240;

export function resultsSummary(view: BatchRunView): string {
  const lines: string[] = [
    `Batch run ${view.id}: ${view.state}, ${view.done}/${view.total} results, concurrency ${view.concurrency}, timeout ${view.timeout_s}s.`,
    `Suites: ${view.suites.map((s) => `${s.name} (${s.prompt_count} prompts)`).join('; ')}.`,
  ];
  for (const m of view.metrics) {
    const ep = view.endpoints[m.endpoint]!;
    lines.push('', `Endpoint ${m.endpoint + 1}: model ${ep.model}${ep.label ? ` (${ep.label})` : ''}`, `  overall: ${metricLine(m.overall)}`);
    for (const [suite, sm] of Object.entries(m.suites)) lines.push(`  ${suite}: ${metricLine(sm)}`);
  }
  const prompts = new Map(view.prompts.map((p) => [`${p.suite_id}/${p.id}`, p]));
  const failed = view.results.filter((r) => !r.ok || r.check === 'fail');
  if (failed.length > 0) lines.push('', `Failed calls or checks (${failed.length}; first ${Math.min(FAILED_SHOWN, failed.length)}):`);
  for (const r of failed.slice(0, FAILED_SHOWN)) {
    const p = prompts.get(`${r.suite_id}/${r.prompt_id}`);
    const why = r.ok ? `check failed: ${r.check_detail ?? ''}` : `call failed: ${r.error_code}`;
    lines.push(
      `- endpoint ${r.endpoint + 1}, ${r.suite_id}/${r.prompt_id} (${p?.category ?? ''}): ${why}`,
      `  prompt: ${snippet(p?.prompt ?? '')}`,
      `  answer: ${snippet(r.answer)}`,
    );
  }
  return cutUtf8(lines.join('\n'), SUMMARY_MAX_BYTES);
}

function metricLine(m: BatchMetrics): string {
  const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
  const ms = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x)} ms`);
  const failures = Object.entries(m.failures_by_code)
    .map(([c, n]) => `${c}×${n}`)
    .join(', ');
  return [
    `${m.succeeded}/${m.count} ok (${pct(m.success_rate)})${failures ? ` [failures: ${failures}]` : ''}`,
    `latency p50 ${ms(m.latency_ms.p50)}, p95 ${ms(m.latency_ms.p95)}`,
    `TTFT p50 ${ms(m.ttft_ms.p50)}`,
    `${m.output_tokens_per_s ?? 'n/a'} output tok/s`,
    `checks ${m.checks.passed}/${m.checks.run} passed (${pct(m.checks.pass_rate)})`,
    m.cost_usd.total !== null ? `cost $${m.cost_usd.total}` : 'cost unknown',
  ].join('; ');
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}

const CHAT_INSTRUCTIONS =
  'You help a developer read the results of a batch test of language models. Answer from the summary below; say so when it does not hold the answer. Be concise and concrete (name prompts, suites and numbers).';
const CHAT_MAX_TOKENS = 800;

/** The results chat's request: the instructions and the run's summary first, then the conversation. */
export function resultsChatRequest(view: BatchRunView, conversation: ChatMessage[]): { messages: ChatMessage[]; max_tokens: number } {
  const messages: ChatMessage[] = [{ role: 'system', content: `${CHAT_INSTRUCTIONS}\n\n${resultsSummary(view)}` }, ...conversation];
  return { messages, max_tokens: CHAT_MAX_TOKENS };
}
