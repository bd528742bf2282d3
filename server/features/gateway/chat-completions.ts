/**
 * POST /v1/chat/completions for an issued key: OpenAI's request checked as OpenAI checks it, the
 * call admitted by the one admission decision (policy/admission.ts: model, provider, fallbacks,
 * the key's limits), made through the cost rules, and the answer written as JSON or as OpenAI's
 * event stream. This file is the wire format only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { MeteredLlm, MeteredResult } from '../../core/accounting/metered-llm.js';
import { NO_CLIENT_RETRY } from '../../core/accounting/refusals.js';
import type { Admitted, AdmissionPolicy } from '../../core/policy/admission.js';
import { AppError } from '../../core/errors/app-error.js';
import { toAppError } from '../../http/to-app-error.js';
import { readJsonBody, sendJson } from '../../http/raw-json.js';
import type { ChatMessage, ChatRequest } from '../../core/llm/llm-client.js';
import type { Logger } from '../../core/log/logger.js';
import type { GatewayUsageBook } from './gateway-usage.js';
import type { IssuedKeyRecord, IssuedKeys } from './issued-keys.js';
import { chunk, completion, completionId, usageChunk, usageOf } from './openai-format.js';

export interface GatewayDeps {
  keys: IssuedKeys;
  /** Who may call which model on which key and provider, under which limits (the same decision /api uses). */
  admission: AdmissionPolicy;
  usage: GatewayUsageBook;
  metered: MeteredLlm;
  timeoutMs: number;
  /** The clock's time in ms (a completion's `created`). */
  now(): number;
  bodyLimitKb: number;
  logger: Logger;
}

const text = z.string().max(200_000);
const content = z.union([text, z.array(z.looseObject({ type: z.literal('text'), text })).max(100)]);
const penalty = z.number().min(-2).max(2).nullish();
const chatBody = z.looseObject({
  model: z.string().min(1).max(200),
  messages: z
    .array(z.looseObject({ role: z.enum(['system', 'developer', 'user', 'assistant']), content }))
    .min(1)
    .max(500),
  max_tokens: z.number().int().min(1).max(100_000).nullish(),
  max_completion_tokens: z.number().int().min(1).max(100_000).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  stop: z.union([z.string().max(200), z.array(z.string().max(200)).max(4)]).nullish(),
  seed: z.number().int().nullish(),
  presence_penalty: penalty,
  frequency_penalty: penalty,
  n: z.literal(1).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  response_format: z.looseObject({ type: z.enum(['text', 'json_object']) }).nullish(),
  user: z.string().max(256).nullish(),
});

/** Fields the gateway cannot honour: refused (400), never silently dropped, so a client does not get a wrong answer. */
const UNSUPPORTED = [
  'tools',
  'tool_choice',
  'functions',
  'function_call',
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'audio',
  'modalities',
  'prediction',
  'parallel_tool_calls',
];

/** Problems with the Space's own provider account are not the caller's key failing. */
const OWNER_PROBLEMS = new Set(['upstream_auth_failed', 'insufficient_credits']);

export async function chatCompletions(deps: GatewayDeps, req: IncomingMessage, res: ServerResponse, key: Readonly<IssuedKeyRecord>): Promise<void> {
  const body = parseBody(await readJsonBody(req, deps.bodyLimitKb * 1024));
  const admitted = deps.admission.admit({ kind: 'issued', key }, body.model);
  try {
    deps.keys.touch(key.id);
    await answer(deps, res, key, admitted, toRequest(body), body.stream === true, body.stream_options?.include_usage === true);
  } finally {
    admitted.release();
  }
}

/** The body as OpenAI would judge it: 400 with the field at fault in `param`. */
function parseBody(raw: unknown): z.infer<typeof chatBody> {
  const field = raw && typeof raw === 'object' ? UNSUPPORTED.find((f) => Object.hasOwn(raw, f) && (raw as Record<string, unknown>)[f] != null) : undefined;
  if (field)
    throw new AppError(400, 'unsupported_parameter', `\`${field}\` is not supported by this gateway; send the request without it.`, {
      details: { param: field },
    });
  const parsed = chatBody.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const param = issue.path.join('.') || null;
  const hint = raw === undefined ? ' Send a JSON body with Content-Type: application/json.' : '';
  throw new AppError(400, 'invalid_request_error', `${param ?? 'body'}: ${issue.message}.${hint}`, { details: { param } });
}

function toRequest(body: z.infer<typeof chatBody>): ChatRequest {
  const messages: ChatMessage[] = body.messages.map((m) => ({
    role: m.role === 'developer' ? 'system' : m.role,
    content: typeof m.content === 'string' ? m.content : m.content.map((p) => p.text).join(''),
  }));
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  const passed = Object.fromEntries(
    (['temperature', 'top_p', 'stop', 'seed', 'presence_penalty', 'frequency_penalty'] as const).flatMap((f) => (body[f] == null ? [] : [[f, body[f]]])),
  );
  return {
    messages,
    ...(maxTokens ? { max_tokens: maxTokens } : {}),
    ...passed,
    ...(body.response_format?.type === 'json_object' ? { response_format: { type: 'json_object' as const } } : {}),
  };
}

async function answer(
  deps: GatewayDeps,
  res: ServerResponse,
  key: Readonly<IssuedKeyRecord>,
  { call, provider }: Admitted,
  request: ChatRequest,
  stream: boolean,
  includeUsage: boolean,
): Promise<void> {
  // The caller hung up: stop the call (aborting after a finished response would cost every request an abort).
  const abort = new AbortController();
  res.once('close', () => res.writableFinished || abort.abort());
  const id = completionId();
  const created = Math.floor(deps.now() / 1000);
  // A provider's own id stays between us and the provider: clients see the id they asked for.
  const model = call.priceAs ?? call.target.model;
  let started = false;
  const onDelta = (piece: string) => {
    if (!started) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        'X-Accel-Buffering': 'no',
        'X-Labcoat-Model': model,
      });
      res.write(`data: ${JSON.stringify(chunk(id, created, model, { role: 'assistant', content: '' }, null))}\n\n`);
      started = true;
    }
    res.write(`data: ${JSON.stringify(chunk(id, created, model, { content: piece }, null))}\n\n`);
  };
  let result: MeteredResult;
  // The bill shows what the ledger charged this request, failed attempts included.
  let charged = 0;
  const onCharge = (usd: number) => void (charged += usd);
  try {
    result = await deps.metered.chat(call, request, { timeoutMs: deps.timeoutMs, signal: abort.signal, onCharge, ...(stream ? { onDelta } : {}) });
  } catch (raw) {
    const booked = deps.usage.record(key.id, model, { tokens_in: 0, tokens_out: 0, usd: charged, error: true });
    if (charged > 0) await booked;
    const err = ownerProblem(raw, deps);
    if (!started) throw err;
    // Mid-stream: the client's SDK raises an error for a data event that carries one.
    const e = toAppError(err);
    res.write(`data: ${JSON.stringify({ error: { message: e.message, type: 'server_error', param: null, code: e.code } })}\n\n`);
    return void res.end();
  }
  const usage = usageOf(result);
  const booked = deps.usage.record(key.id, model, {
    tokens_in: usage.prompt_tokens,
    tokens_out: usage.completion_tokens,
    usd: charged,
    error: result.error !== null,
  });
  // A paid call's charge is on disk before the caller learns it (a crash then cannot charge it again at its worst case).
  if (result.reserved_usd > 0) await booked;
  if (!stream) {
    const headers = {
      'X-Labcoat-Provider': provider,
      'X-Labcoat-Model': call.priceAs ?? result.model,
      'X-Labcoat-Cost-USD': result.charged_usd.toFixed(8),
    };
    return sendJson(res, 200, completion(id, created, call.priceAs ?? result.model, result.content, result.finish_reason, usage), headers);
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

/** The Space's provider refusing its key (or its credit) is the owner's problem: 503 for the caller, an error in the log. */
function ownerProblem(err: unknown, deps: GatewayDeps): unknown {
  if (!(err instanceof AppError) || !OWNER_PROBLEMS.has(err.code)) return err;
  deps.logger.error({ code: err.code }, 'the gateway\u2019s upstream refused the Space\u2019s key or credit');
  return new AppError(
    503,
    'upstream_account_problem',
    'The Space\u2019s provider account cannot serve calls right now (its key or credit). Your key is fine; tell the Space owner.',
    { headers: NO_CLIENT_RETRY },
  );
}
