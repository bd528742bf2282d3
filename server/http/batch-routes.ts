import { Router } from 'express';
import { z } from 'zod';
import { guardEndpoint, type Resolver } from '../engines/batch/endpoint-guard.js';
import { suiteSummaries } from '../engines/batch/curated-suites.js';
import type { LlmClient } from '../llm/llm-client.js';
import { pinnedFetch, type Pin } from '../llm/pinned-fetch.js';
import { route } from './routes.js';

export interface BatchRouteDeps {
  llm: LlmClient;
  allowPrivate: boolean;
  resolve: Resolver;
  /** Deadline of "Test connection" (config llm.timeouts_seconds.connect). */
  connectTimeoutMs: number;
}

const endpointBody = z.strictObject({
  base_url: z.string().trim().min(8).max(500),
  api_key: z.string().trim().min(1).max(512),
  model: z.string().trim().min(1).max(200),
});

const MAX_LISTED_MODELS = 500;

/** The batch API so far: the curated suites, and "Test connection" for a visitor's own endpoint. */
export function batchRoutes(deps: BatchRouteDeps): Router {
  const router = Router();
  route(router, '/batch/suites', { get: (_req, res) => void res.json({ suites: suiteSummaries() }) });
  route(router, '/batch/connect', {
    // One small call with the visitor's key to the visitor's endpoint (never stored): latency, the
    // reply, and the endpoint's model list when it has one; failures come back typed, with advice.
    post: async (req, res) => {
      const body = endpointBody.parse(req.body);
      const endpoint = await guardEndpoint(body.base_url, { allowPrivate: deps.allowPrivate, resolve: deps.resolve });
      const target = { baseUrl: endpoint.baseUrl, apiKey: body.api_key, model: body.model, pin: endpoint.pin };
      const [result, models] = await Promise.all([
        deps.llm.chat(target, { messages: [{ role: 'user', content: 'Reply with one word: ready' }], max_tokens: 8, temperature: 0 }, { timeoutMs: deps.connectTimeoutMs }),
        modelList(endpoint.baseUrl, endpoint.pin, body.api_key, deps.connectTimeoutMs),
      ]);
      res.json({ ok: true, base_url: endpoint.baseUrl, model: result.model, latency_ms: result.latency_ms, reply: result.content.slice(0, 200), usage: result.usage, models });
    },
  });
  return router;
}

/** The endpoint's GET /models ids, or null when it has none (or it fails: the chat call is the real test). */
async function modelList(baseUrl: string, pin: Pin, apiKey: string, timeoutMs: number): Promise<string[] | null> {
  try {
    const res = await pinnedFetch(pin)(`${baseUrl}/models`, { headers: { Authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return null;
    const parsed = z.looseObject({ data: z.array(z.looseObject({ id: z.string().max(200) })) }).safeParse(await res.json());
    return parsed.success ? parsed.data.data.slice(0, MAX_LISTED_MODELS).map((m) => m.id) : null;
  } catch {
    return null;
  }
}
