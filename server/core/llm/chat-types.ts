/** What a model call is asked and what it answers, as every caller of LlmClient sees it. */
import type { UpstreamError } from './upstream-error.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  max_tokens?: number;
  temperature?: number;
  response_format?: { type: 'json_object' };
  /** Sampling fields the gateway passes through as OpenAI defines them. */
  top_p?: number;
  stop?: string | string[];
  seed?: number;
  presence_penalty?: number;
  frequency_penalty?: number;
  /**
   * How much a reasoning model may think first, as OpenRouter's `reasoning` parameter takes it: an
   * effort (a share of max_tokens) or a token budget (below max_tokens). LlmClient sends it only to a
   * model the catalog says accepts it, never to a visitor's own endpoint (see reasoning.ts); the
   * thinking counts against max_tokens and is billed as output.
   */
  reasoning?: ReasoningSetting;
}

export type ReasoningSetting = { effort: 'low' | 'medium' | 'high' } | { max_tokens: number };

export interface CallOptions {
  /** Whole-call deadline, streamed body included. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Models to try, in order, when the requested one is unavailable. */
  fallbacks?: string[];
  /** Streams the answer; called with each piece of text as it arrives. */
  onDelta?: (text: string) => void;
  /** Called before each retry or fallback with the failure before it; throwing stops the call with that error. */
  beforeNextAttempt?: (failed: UpstreamError) => void | Promise<void>;
}

export interface Usage {
  tokens_in: number;
  tokens_out: number;
  /** True when a cut stream left us counting from what arrived. */
  estimated: boolean;
  /**
   * Of tokens_out, what the model spent thinking, when the provider reports it
   * (`completion_tokens_details.reasoning_tokens`). Information only: tokens_out already counts it.
   */
  reasoning_tokens?: number;
}

export interface CallResult {
  content: string;
  /** The model that actually answered (a fallback, or the provider's exact id). */
  model: string;
  requested_model: string;
  finish_reason: string | null;
  usage: Usage;
  cost_usd: number | null;
  cost_source: 'upstream' | 'catalog' | 'unknown' | 'cache';
  /** The whole call, retries and their waits included. */
  latency_ms: number;
  /** The attempt that answered: what the endpoint itself took (batch metrics use this). */
  attempt_ms: number;
  /** Time to first token of the attempt that answered. */
  ttft_ms: number | null;
  cached: boolean;
  retries: number;
  /** Set when a stream broke after tokens arrived: the partial answer is kept, and this says why. */
  error: { code: string; message: string } | null;
}
