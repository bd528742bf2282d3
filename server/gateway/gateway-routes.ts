/**
 * The OpenAI-compatible gateway for keys the owner issues: GET /v1/models, POST
 * /v1/chat/completions (JSON or SSE), GET /v1/usage. A request is limited by its key (rpm, calls
 * at once, daily and monthly USD) and by the global cap, never by the per-IP limits meant for
 * anonymous visitors. Errors use OpenAI's shape (see openAiError, applied by the error middleware).
 */
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { MeteredLlm, MeteredResult, ModelCall } from '../accounting/metered-llm.js';
import { isFree, type Price } from '../accounting/pricing.js';
import { AppError } from '../http/app-error.js';
import { toAppError } from '../http/error-middleware.js';
import { route } from '../http/routes.js';
import type { ChatMessage, ChatRequest } from '../llm/llm-client.js';
import type { Logger } from '../log/logger.js';
import type { GatewayUsageBook } from './gateway-usage.js';
import type { IssuedKeyRecord, IssuedKeys } from './issued-keys.js';
import type { KeyLimiter } from './key-limiter.js';
import { chunk, completion, completionId, usageChunk, usageOf } from './openai-format.js';

export interface GatewayDeps {
  keys: IssuedKeys;
  limiter: KeyLimiter;
  usage: GatewayUsageBook;
  metered: MeteredLlm;
  /** The Space's upstream key; undefined in data-only mode. */
  server: { apiKey: string; baseUrl: string } | undefined;
  /** Other providers for named models (config gateway.providers); everything else goes to `server`. */
  providers: GatewayProvider[];
  /** The whitelist of this deployment. */
  allowedModels: readonly string[];
  priceOf(model: string): Price | null;
  fallbacks: readonly string[];
  timeoutMs: number;
  bodyLimitKb: number;
  logger: Logger;
}

const text = z.string().max(200_000);
const content = z.union([text, z.array(z.looseObject({ type: z.literal('text'), text })).max(100)]);
const chatBody = z.looseObject({
  model: z.string().min(1).max(200),
  messages: z.array(z.looseObject({ role: z.enum(['system', 'developer', 'user', 'assistant']), content })).min(1).max(500),
  max_tokens: z.number().int().min(1).max(100_000).nullish(),
  max_completion_tokens: z.number().int().min(1).max(100_000).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  response_format: z.looseObject({ type: z.string() }).nullish(),
});

type KeyedRequest = Request & { issuedKey?: Readonly<IssuedKeyRecord> };

export interface GatewayProvider {
  name: string;
  baseUrl: string;
  /** From the environment variable the config names; undefined when it is not set. */
  apiKey: string | undefined;
  /** Gateway model id → the provider's own id. */
  models: Record<string, string>;
}

export function gatewayRoutes(deps: GatewayDeps): Router {
  const router = Router();
  router.use(express.json({ limit: `${deps.bodyLimitKb}kb` }));
  router.use((req: KeyedRequest, _res, next) => {
    req.issuedKey = deps.keys.authenticate(req.get('authorization'));
    next();
  });
  const keyOf = (req: Request) => (req as KeyedRequest).issuedKey!;
  const usable = (key: Readonly<IssuedKeyRecord>) => deps.allowedModels.filter((m) => (key.models === null || key.models.includes(m)) && deps.priceOf(m) !== null);

  route(router, '/models', {
    get: (req, res) => {
      res.json({ object: 'list', data: usable(keyOf(req)).map((id) => ({ id, object: 'model', created: 0, owned_by: id.split('/')[0] ?? 'labcoat' })) });
    },
  });

  route(router, '/usage', {
    get: (req, res) => {
      const key = keyOf(req);
      const s = deps.usage.summary(key.id);
      res.json({ object: 'usage', key: { id: key.id, name: key.name, prefix: key.prefix }, day: s.day, month_start: s.month_start, today: s.today, month: s.month, limits: { rpm: key.rpm, max_concurrent: key.max_concurrent, daily_usd: key.daily_usd, monthly_usd: key.monthly_usd } });
    },
  });

  route(router, '/chat/completions', {
    post: async (req, res) => {
      const key = keyOf(req);
      const body = chatBody.parse(req.body);
      const call = keyCall(deps, key, body.model, usable(key));
      const release = deps.limiter.admit(key);
      try {
        deps.keys.touch(key.id);
        await answer(deps, res, key, call, toRequest(body), body.stream === true, body.stream_options?.include_usage === true);
      } finally {
        release();
      }
    },
  });
  return router;
}

/** The model call for a key: a model it may use (else OpenAI's 404 model_not_found), with fallbacks it may use too. */
function keyCall(deps: GatewayDeps, key: Readonly<IssuedKeyRecord>, model: string, usable: readonly string[]): ModelCall {
  if (!usable.includes(model)) throw new AppError(404, 'model_not_found', `The model \`${model}\` does not exist or you do not have access to it. GET /v1/models lists the models this key may use.`);
  const provider = deps.providers.find((p) => Object.hasOwn(p.models, model));
  if (provider) {
    if (!provider.apiKey) throw new AppError(503, 'provider_key_missing', `The provider for \`${model}\` (${provider.name}) has no key set on this Space. Tell the Space owner, or use another model.`);
    // Priced and booked by the gateway's id; the provider gets its own. Fallbacks stay on the main upstream's models.
    return { target: { baseUrl: provider.baseUrl, apiKey: provider.apiKey, model: provider.models[model]! }, fallbacks: [], mode: 'issued', session: null, key: key.id, guard: deps.limiter.spendGuard(key), priceAs: model };
  }
  if (!deps.server) throw new AppError(503, 'no_api_key', 'This Space has no upstream key right now, so the gateway cannot call models. Tell the Space owner.');
  const routed = new Set(deps.providers.flatMap((p) => Object.keys(p.models)));
  const free = isFree(deps.priceOf(model));
  const fallbacks = deps.fallbacks.filter((m) => m !== model && !routed.has(m) && usable.includes(m) && (!free || isFree(deps.priceOf(m))));
  return { target: { ...deps.server, model }, fallbacks, mode: 'issued', session: null, key: key.id, guard: deps.limiter.spendGuard(key) };
}

function toRequest(body: z.infer<typeof chatBody>): ChatRequest {
  const messages: ChatMessage[] = body.messages.map((m) => ({
    role: m.role === 'developer' ? 'system' : m.role,
    content: typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join(''),
  }));
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  return {
    messages,
    ...(maxTokens ? { max_tokens: maxTokens } : {}),
    ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
    ...(body.response_format?.type === 'json_object' ? { response_format: { type: 'json_object' as const } } : {}),
  };
}

async function answer(deps: GatewayDeps, res: Response, key: Readonly<IssuedKeyRecord>, call: ModelCall, request: ChatRequest, stream: boolean, includeUsage: boolean): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const id = completionId();
  const created = Math.floor(Date.now() / 1000);
  // A provider's own id stays between us and the provider: clients see the id they asked for.
  const model = call.priceAs ?? call.target.model;
  let started = false;
  const onDelta = (piece: string) => {
    if (!started) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no', 'X-Labcoat-Model': model });
      res.write(`data: ${JSON.stringify(chunk(id, created, model, { role: 'assistant', content: '' }, null))}\n\n`);
      started = true;
    }
    res.write(`data: ${JSON.stringify(chunk(id, created, model, { content: piece }, null))}\n\n`);
  };
  let result: MeteredResult;
  try {
    result = await deps.metered.chat(call, request, { timeoutMs: deps.timeoutMs, signal: abort.signal, ...(stream ? { onDelta } : {}) });
  } catch (err) {
    deps.usage.record(key.id, model, { tokens_in: 0, tokens_out: 0, usd: 0, error: true });
    if (!started) throw err;
    // Mid-stream: the client's SDK raises an error for a data event that carries one.
    const e = toAppError(err);
    res.write(`data: ${JSON.stringify({ error: { message: e.message, type: 'server_error', param: null, code: e.code } })}\n\n`);
    return void res.end();
  }
  const usage = usageOf(result);
  deps.usage.record(key.id, call.priceAs ?? result.model, { tokens_in: usage.prompt_tokens, tokens_out: usage.completion_tokens, usd: result.charged_usd, error: result.error !== null });
  if (!stream) {
    res.set({ 'X-Labcoat-Provider': new URL(call.target.baseUrl).host, 'X-Labcoat-Model': call.priceAs ?? result.model, 'X-Labcoat-Cost-USD': String(result.charged_usd) });
    return void res.json(completion(id, created, call.priceAs ?? result.model, result.content, result.finish_reason, usage));
  }
  if (!started) onDelta(''); // an empty answer still streams its frame
  if (result.error) {
    res.write(`data: ${JSON.stringify({ error: { message: result.error.message, type: 'server_error', param: null, code: result.error.code } })}\n\n`);
    return void res.end();
  }
  const answered = call.priceAs ?? result.model;
  res.write(`data: ${JSON.stringify(chunk(id, created, answered, {}, result.finish_reason ?? 'stop'))}\n\n`);
  if (includeUsage) res.write(`data: ${JSON.stringify(usageChunk(id, created, answered, usage))}\n\n`);
  res.write('data: [DONE]\n\n');
  res.end();
}
