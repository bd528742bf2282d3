/**
 * How one attempt reaches an OpenAI-compatible provider: POST {baseUrl}/chat/completions, as JSON
 * or as a stream of chunks. Failures are thrown as UpstreamError (an abort rejects with the
 * signal's reason); retries, fallbacks, the breaker and cost stay in LlmClient.
 */
import type { Pin } from './pinned-fetch.js';

/** Where a call goes. The key lives only as long as the call; it is never logged or returned. */
export interface Target {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** A visitor's endpoint: connect only to this checked address, follow no redirect (ssrf-rules.ts). */
  pin?: Pin;
  /** Callers sharing one upstream key who must not see each other's cached answers (issued gateway keys). */
  cacheScope?: string;
}

/**
 * A reasoning model's thinking, where providers put it beside the answer: OpenRouter's `reasoning`
 * (text) and `reasoning_details` (structured), DeepSeek's and vLLM's `reasoning_content`. Never the
 * answer: LlmClient reads it only to tell "thought but never answered" from an empty answer.
 */
export interface WireReasoning {
  reasoning?: unknown;
  reasoning_content?: unknown;
  reasoning_details?: unknown;
}

/** The fields of a completion LlmClient reads; anything may be missing from a provider's answer. */
export interface WireCompletion {
  model?: string;
  choices?: Array<{ message?: { content?: string | null } & WireReasoning; finish_reason?: string | null }>;
  usage?: WireUsage | null;
}

export interface WireChunk {
  model?: string;
  choices?: Array<{ delta?: { content?: string | null } & WireReasoning; finish_reason?: string | null }>;
  usage?: WireUsage | null;
}

/** Token counts, and OpenRouter's `cost` in USD when it reports one. */
export interface WireUsage {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
  total_tokens?: unknown;
  /** OpenAI's and OpenRouter's breakdown: `reasoning_tokens` are part of completion_tokens. */
  completion_tokens_details?: { reasoning_tokens?: unknown } | null;
  cost?: unknown;
}

export interface Wire {
  complete(target: Target, body: Record<string, unknown>, signal: AbortSignal): Promise<WireCompletion>;
  stream(target: Target, body: Record<string, unknown>, signal: AbortSignal): Promise<AsyncIterable<WireChunk>>;
  /** Drops pooled connections (shutdown). */
  close(): void;
}
