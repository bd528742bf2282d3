/** "Test connection": one small call to a visitor's endpoint with their key, and its model list. */
import { z } from 'zod';
import type { LlmClient } from '../../core/llm/llm-client.js';
import { pinnedFetch, type Pin } from '../../core/llm/pinned-fetch.js';
import type { GuardedEndpoint } from './endpoint-guard.js';

const MAX_LISTED_MODELS = 500;

export interface ConnectionReport {
  ok: true;
  base_url: string;
  model: string;
  latency_ms: number;
  reply: string;
  usage: { tokens_in: number; tokens_out: number; estimated: boolean };
  /** The endpoint's GET /models ids, or null when it has none. */
  models: string[] | null;
}

/** Throws the LLM client's typed error (wrong key, wrong URL, model not found, …) with its advice. */
export async function testConnection(llm: LlmClient, endpoint: GuardedEndpoint, apiKey: string, model: string, timeoutMs: number): Promise<ConnectionReport> {
  const target = { baseUrl: endpoint.baseUrl, apiKey, model, pin: endpoint.pin };
  const [result, models] = await Promise.all([
    llm.chat(target, { messages: [{ role: 'user', content: 'Reply with one word: ready' }], max_tokens: 8, temperature: 0 }, { timeoutMs }),
    modelList(endpoint.baseUrl, endpoint.pin, apiKey, timeoutMs),
  ]);
  return {
    ok: true,
    base_url: endpoint.baseUrl,
    model: result.model,
    latency_ms: result.latency_ms,
    reply: result.content.slice(0, 200),
    usage: result.usage,
    models,
  };
}

/** Null when the endpoint lists no models or the list fails: the chat call is the real test. */
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
