/**
 * OpenAI's wire format for the gateway: completion objects, stream chunks and error bodies, so
 * the official clients (and anything built on them) read Labcoat as they read OpenAI.
 */
import { randomUUID } from 'node:crypto';
import type { AppError } from '../../core/errors/app-error.js';

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** What the call cost, in USD (OpenRouter reports the same field). */
  cost: number;
}

export function completionId(): string {
  // randomUUID draws on a cached entropy pool: cheaper per request than randomBytes.
  return `chatcmpl-${randomUUID().replaceAll('-', '')}`;
}

export function usageOf(r: { usage: { tokens_in: number; tokens_out: number }; charged_usd: number }): OpenAiUsage {
  return { prompt_tokens: r.usage.tokens_in, completion_tokens: r.usage.tokens_out, total_tokens: r.usage.tokens_in + r.usage.tokens_out, cost: r.charged_usd };
}

export function completion(id: string, created: number, model: string, content: string, finish: string | null, usage: OpenAiUsage) {
  return {
    id,
    object: 'chat.completion' as const,
    created,
    model,
    choices: [{ index: 0, message: { role: 'assistant' as const, content, refusal: null }, logprobs: null, finish_reason: finish ?? 'stop' }],
    usage,
  };
}

export function chunk(id: string, created: number, model: string, delta: Record<string, unknown>, finish: string | null) {
  return { id, object: 'chat.completion.chunk' as const, created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] };
}

export function usageChunk(id: string, created: number, model: string, usage: OpenAiUsage) {
  return { id, object: 'chat.completion.chunk' as const, created, model, choices: [], usage };
}

/** OpenAI's error types by status; the code stays Labcoat's own (stable and documented). */
const QUOTA_CODES = new Set(['key_daily_limit', 'key_monthly_limit', 'daily_budget_exhausted']);

export function openAiError(err: AppError): { error: { message: string; type: string; param: string | null; code: string } } {
  const type =
    err.status === 429 && QUOTA_CODES.has(err.code)
      ? 'insufficient_quota'
      : err.status === 429
        ? 'requests'
        : err.status >= 500
          ? 'server_error'
          : 'invalid_request_error';
  const param = typeof err.details?.param === 'string' ? err.details.param : null;
  return { error: { message: err.message, type, param, code: err.code } };
}
