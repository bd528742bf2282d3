import type { MeteredResult } from './metered-llm.js';
import type { CallResult } from '../llm/llm-client.js';

/** What a caller sees of a finished call: the answer, who answered, what it used and cost (what was charged, on a metered call). */
export function callSummary(r: CallResult & Partial<Pick<MeteredResult, 'charged_usd' | 'reserved_usd'>>) {
  return {
    content: r.content,
    model: r.model,
    requested_model: r.requested_model,
    finish_reason: r.finish_reason,
    usage: r.usage,
    cost_usd: r.charged_usd || r.cost_usd,
    reserved_usd: r.reserved_usd ?? 0,
    latency_ms: r.latency_ms,
    ttft_ms: r.ttft_ms,
    cached: r.cached,
    error: r.error,
  };
}

/** callSummary() of a metered call once its charge is on disk (durable before announced). */
export async function meteredSummary(r: MeteredResult) {
  await r.durable;
  return callSummary(r);
}

/** A call refused before reaching the model (the cap, an open breaker) does not use up the visitor's quota. */
export function refundIfNothingHappened(err: unknown, refund: () => void): void {
  const code = (err as { code?: unknown }).code;
  if (code === 'daily_budget_exhausted' || code === 'budget_busy' || code === 'request_too_costly' || code === 'upstream_unavailable') refund();
}
