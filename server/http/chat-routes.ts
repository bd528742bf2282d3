import { Router } from 'express';
import { z } from 'zod';
import type { MeteredLlm, MeteredResult } from '../accounting/metered-llm.js';
import type { CallResult } from '../llm/llm-client.js';
import type { ModelGate } from './model-gate.js';
import { streamReply } from './event-stream.js';
import { route } from './routes.js';

const modelId = z.string().min(3).max(200);

const chatBody = z.strictObject({
  model: modelId,
  messages: z
    .array(z.strictObject({ role: z.enum(['system', 'user', 'assistant']), content: z.string().min(1).max(8000) }))
    .min(1)
    .max(20),
  max_tokens: z.number().int().min(1).max(8192).optional(),
  temperature: z.number().min(0).max(2).optional(),
  stream: z.boolean().default(false),
});

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

/**
 * POST /api/chat — one conversation turn with a model the caller may use ("Try it" in the
 * catalog). Goes through the same gate, quotas and cap as every model call; `stream: true`
 * answers as Server-Sent Events (`delta`, then `done` or `error`) once the answer starts.
 */
export function chatRoutes(gate: ModelGate, metered: MeteredLlm, timeoutMs: number): Router {
  const router = Router();
  route(router, '/chat', {
    post: async (req, res) => {
      const body = chatBody.parse(req.body);
      const { call, admission } = gate.admit(req, body.model, { requests: 1, cycles: 0 });
      const request = {
        messages: body.messages,
        ...(body.max_tokens ? { max_tokens: body.max_tokens } : {}),
        ...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
      };
      if (!body.stream) {
        const abort = new AbortController();
        res.on('close', () => abort.abort());
        try {
          return void res.json(await meteredSummary(await metered.chat(call, request, { timeoutMs, signal: abort.signal })));
        } catch (err) {
          refundIfNothingHappened(err, admission.refund);
          throw err;
        }
      }
      await streamReply(
        res,
        async (onDelta, signal) => meteredSummary(await metered.chat(call, request, { timeoutMs, signal, onDelta })),
        (err) => refundIfNothingHappened(err, admission.refund),
      );
    },
  });
  return router;
}

/** A call refused before reaching the model (the cap, an open breaker) does not use up the visitor's quota. */
export function refundIfNothingHappened(err: unknown, refund: () => void): void {
  const code = (err as { code?: unknown }).code;
  if (code === 'daily_budget_exhausted' || code === 'budget_busy' || code === 'request_too_costly' || code === 'upstream_unavailable') refund();
}
