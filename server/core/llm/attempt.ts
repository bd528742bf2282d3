/**
 * One attempt of a model call over a wire: the JSON answer or the stream read to its end, its
 * usage (reported, else counted from what was sent and received: never $0 for a missing field)
 * and its cost. A stream cut after tokens arrived keeps what came and says why on the result.
 * Retries, fallbacks, the breaker and the cache stay in LlmClient.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { costUsd, maxPromptTokens, type Price } from '../accounting/pricing.js';
import type { CallOptions, CallResult, ChatRequest, Usage } from './chat-types.js';
import { HttpWire } from './http-wire.js';
import { thinkingIn, thinkingOnlyError } from './reasoning.js';
import { SdkWire } from './sdk-wire.js';
import { UpstreamError, badResponseError, cancelledError, unreachableError } from './upstream-error.js';
import type { Target, Wire, WireUsage } from './wire.js';

/** What one attempt yields; the caller adds the timing, retries and cache fields. */
export type AttemptResult = Omit<CallResult, 'requested_model' | 'latency_ms' | 'attempt_ms' | 'retries' | 'cached'>;

export interface AttemptDeps {
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  priceOf(model: string): Price | null;
  /** The metrics label of a model id (bounded). */
  label(model: string): string;
}

export class AttemptRunner {
  private readonly pooled: Wire;
  private readonly sdk: Wire;

  constructor(private readonly deps: AttemptDeps) {
    this.pooled = new HttpWire(() => deps.clock.now());
    this.sdk = new SdkWire(() => deps.clock.now());
  }

  /** Closes pooled connections (shutdown). */
  close(): void {
    this.pooled.close();
    this.sdk.close();
  }

  /** One attempt; `progress.delivered` turns true once a streamed token reached the caller (it is then never replayed). */
  async run(
    target: Target,
    request: ChatRequest,
    opts: CallOptions,
    signal: AbortSignal,
    started: number,
    progress: { delivered: boolean },
  ): Promise<AttemptResult> {
    // A visitor's endpoint (pinned to its checked address) goes through the SDK; the owner's providers through the pool.
    const wire = target.pin ? this.sdk : this.pooled;
    const body = { model: target.model, ...request };
    if (!opts.onDelta) {
      const data = await wire.complete(target, body, signal);
      const choice = data.choices?.[0];
      const content = choice?.message?.content;
      // Thinking (reasoning, reasoning_content, reasoning_details) is never the answer; with no answer it says why.
      const thought = thinkingIn(choice?.message);
      if ((typeof content !== 'string' || content.trim() === '') && (thought.present || reasoningTokens(data.usage) > 0)) throw thinkingOnlyError();
      if (!choice || typeof content !== 'string') throw badResponseError('no message in the completion');
      // Without usage, count from what was sent and received: a missing field must never cost $0.
      const usage = reportedUsage(data.usage) ?? estimateUsage(request, content, thought.chars);
      const answered = typeof data.model === 'string' && data.model ? data.model : target.model;
      return {
        content,
        model: answered,
        finish_reason: choice.finish_reason ?? null,
        usage,
        ...this.cost(answered, target.model, usage, data.usage),
        ttft_ms: null,
        error: null,
      };
    }

    const stream = await wire.stream(target, body, signal);
    let content = '';
    let model = target.model;
    let finish: string | null = null;
    let ttft: number | null = null;
    let reported: WireUsage | undefined;
    let chunks = 0;
    let thought = false;
    let thoughtChars = 0;
    try {
      for await (const chunk of stream) {
        chunks++;
        if (typeof chunk.model === 'string' && chunk.model) model = chunk.model;
        if (chunk.usage) reported = chunk.usage;
        const choice = chunk.choices?.[0];
        if (choice?.finish_reason) finish = choice.finish_reason;
        // Thinking deltas are counted, never passed on or added to the answer.
        const thinking = thinkingIn(choice?.delta);
        thought ||= thinking.present;
        thoughtChars += thinking.chars;
        const delta = choice?.delta?.content;
        if (delta) {
          ttft ??= this.deps.clock.now() - started;
          progress.delivered = true;
          content += delta;
          opts.onDelta(delta);
        }
      }
      // The SDK ends the iteration quietly on abort; a deadline or cancel must still count as a cut.
      if (signal.aborted) throw signal.reason;
      // A 200 that is not an event stream (a web page at a wrong base URL) parses as no events at all.
      if (chunks === 0)
        throw badResponseError('the answer held no stream events; check that the base URL is an OpenAI-compatible API (it usually ends in /v1)');
    } catch (err) {
      if (!progress.delivered) throw err;
      // Cut short after tokens arrived: keep what came, count it, and report the failure on the result.
      const usage = estimateUsage(request, content, thoughtChars);
      const cause = toUpstreamError(err, signal);
      this.deps.logger.warn({ model, code: cause.code }, 'stream cut short; usage estimated');
      return {
        content,
        model,
        finish_reason: 'error',
        usage,
        ...this.cost(model, target.model, usage, undefined),
        ttft_ms: ttft,
        error: { code: cause.code, message: cause.message },
      };
    }
    if (content.trim() === '' && (thought || reasoningTokens(reported) > 0)) throw thinkingOnlyError();
    const usage = reportedUsage(reported) ?? estimateUsage(request, content, thoughtChars);
    if (ttft !== null) this.deps.metrics.llmTtft.observe({ model: this.deps.label(model) }, ttft / 1000);
    return { content, model, finish_reason: finish, usage, ...this.cost(model, target.model, usage, reported), ttft_ms: ttft, error: null };
  }

  /** The upstream's reported cost when it gives one (OpenRouter does), else tokens × catalog price. */
  private cost(answered: string, requested: string, usage: Usage, reported: WireUsage | null | undefined): Pick<CallResult, 'cost_usd' | 'cost_source'> {
    if (typeof reported?.cost === 'number' && Number.isFinite(reported.cost) && reported.cost >= 0) return { cost_usd: reported.cost, cost_source: 'upstream' };
    // Providers answer with versioned ids the catalog may not list; the requested model's price then applies.
    const usd = costUsd(this.deps.priceOf(answered) ?? this.deps.priceOf(requested), usage.tokens_in, usage.tokens_out);
    return usd === null ? { cost_usd: null, cost_source: 'unknown' } : { cost_usd: usd, cost_source: 'catalog' };
  }
}

/** A failure as an UpstreamError: the abort's reason (deadline or cancel) when the call was stopped, else unreachable. */
export function toUpstreamError(raw: unknown, signal: AbortSignal): UpstreamError {
  if (raw instanceof UpstreamError) return raw;
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof UpstreamError) return reason;
    return cancelledError();
  }
  return unreachableError(raw);
}

/** From what was sent and received: the prompt's upper bound, and ~4 characters per output token, thinking included. */
function estimateUsage(request: ChatRequest, content: string, thoughtChars: number): Usage {
  return { tokens_in: maxPromptTokens(request.messages), tokens_out: Math.ceil((content.length + thoughtChars) / 4), estimated: true };
}

const count = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** `completion_tokens_details.reasoning_tokens`, 0 when not reported. */
function reasoningTokens(u: WireUsage | null | undefined): number {
  const n = u?.completion_tokens_details?.reasoning_tokens;
  return count(n) ? n : 0;
}

/**
 * The provider's token counts, only when both are real counts: a missing or odd field must never cost $0 (or NaN).
 * Thinking is output and is billed: OpenAI and OpenRouter count it in completion_tokens, but some
 * servers in front of other models leave it out (completion_tokens 0, reasoning_tokens 60, total 81),
 * so output is never taken below the reported thinking or total − prompt.
 */
function reportedUsage(u: WireUsage | null | undefined): Usage | undefined {
  if (!u || !count(u.prompt_tokens) || !count(u.completion_tokens)) return undefined;
  const thinking = reasoningTokens(u);
  const fromTotal = count(u.total_tokens) ? u.total_tokens - u.prompt_tokens : 0;
  const usage: Usage = { tokens_in: u.prompt_tokens, tokens_out: Math.max(u.completion_tokens, thinking, fromTotal), estimated: false };
  if (count(u.completion_tokens_details?.reasoning_tokens)) usage.reasoning_tokens = thinking;
  return usage;
}
