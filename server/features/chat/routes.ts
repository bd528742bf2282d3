import { Router } from 'express';
import { z } from 'zod';
import type { MeteredLlm } from '../../core/accounting/metered-llm.js';
import { meteredSummary, refundIfNothingHappened } from '../../core/accounting/call-summary.js';
import { visitor, type AdmissionPolicy } from '../../core/policy/admission.js';
import { streamReply } from '../../http/event-stream.js';
import { route } from '../../http/routes.js';

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

/**
 * POST /api/chat — one conversation turn with a model the caller may use ("Try it" in the
 * catalog). Goes through the same admission, quotas and cap as every model call; `stream: true`
 * answers as Server-Sent Events (`delta`, then `done` or `error`) once the answer starts.
 */
export function chatRoutes(gate: AdmissionPolicy, metered: MeteredLlm, timeoutMs: number): Router {
  const router = Router();
  route(router, '/chat', {
    post: async (req, res) => {
      const body = chatBody.parse(req.body);
      const { call, admission } = gate.admit(visitor(req), body.model, { requests: 1, cycles: 0 });
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
