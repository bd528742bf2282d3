/**
 * The one way Labcoat calls a model: whole-call deadline, one retry policy, a breaker per
 * upstream, fallback models, a cache, and usage with cost. Each attempt goes over a Wire: the
 * pooled node:http one for the providers the owner configures, the official SDK for visitors'
 * own endpoints.
 */
import { hash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { costUsd, maxPromptTokens, type Price } from '../accounting/pricing.js';
import { LRUCache } from 'lru-cache';
import { CircuitBreaker } from './circuit-breaker.js';
import { HttpWire } from './http-wire.js';
import { ResponseCache } from './response-cache.js';
import { MAX_RETRIES, retryDelay } from './retry-policy.js';
import { SdkWire } from './sdk-wire.js';
import { UpstreamError, badResponseError, breakerOpenError, cancelledError, timeoutError, unreachableError } from './upstream-error.js';
import type { Target, Wire, WireUsage } from './wire.js';

export type { Target } from './wire.js';

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
}

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

export interface LlmClientDeps {
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Price per token of a model, from the catalog; null when unknown. */
  priceOf(model: string): Price | null;
  cache?: { max: number; ttlMs: number };
  breaker?: { threshold: number; cooldownMs: number };
  /** Injected for tests: how to wait between retries. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}

const FALLBACK_CODES = new Set(['upstream_unavailable', 'upstream_unreachable', 'upstream_timeout', 'upstream_rate_limited', 'model_not_found']);

export class LlmClient {
  // Bounded: visitors' own keys and model ids make new entries; the least recently used are forgotten.
  private readonly breakers = new LRUCache<string, CircuitBreaker>({ max: 2000 });
  private readonly hosts = new LRUCache<string, string>({ max: 500 });
  private readonly cache: ResponseCache<Omit<CallResult, 'requested_model'>>;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly pooled: Wire;
  private readonly sdk: Wire;

  constructor(private readonly deps: LlmClientDeps) {
    this.cache = new ResponseCache({ max: deps.cache?.max ?? 100, ttlMs: deps.cache?.ttlMs ?? 5 * 60_000, clock: deps.clock });
    this.sleep = deps.sleep ?? abortableSleep;
    this.pooled = new HttpWire(() => deps.clock.now());
    this.sdk = new SdkWire(() => deps.clock.now());
  }

  /** Closes pooled connections (shutdown). */
  close(): void {
    this.pooled.close();
    this.sdk.close();
  }

  /** One chat completion; with `onDelta` it streams. Throws UpstreamError. */
  async chat(target: Target, request: ChatRequest, opts: CallOptions): Promise<CallResult> {
    const models = [target.model, ...(opts.fallbacks ?? []).filter((m) => m !== target.model)];
    let lastError: UpstreamError | undefined;
    for (const model of models) {
      try {
        const result = await this.callModel({ ...target, model }, request, opts);
        return { ...result, requested_model: target.model };
      } catch (err) {
        if (!(err instanceof UpstreamError) || !FALLBACK_CODES.has(err.code)) throw err;
        lastError = err;
        if (model !== models.at(-1)) {
          this.deps.logger.warn({ model, code: err.code }, 'model unavailable; trying the next fallback');
          await opts.beforeNextAttempt?.(err);
        }
      }
    }
    throw lastError!;
  }

  /** A base URL's host, parsed once per base URL (bounded: visitors bring their own). */
  private hostOf(baseUrl: string): string {
    let host = this.hosts.get(baseUrl);
    if (host === undefined) this.hosts.set(baseUrl, (host = new URL(baseUrl).host));
    return host;
  }

  breakerState(target: Target) {
    return this.breaker(target).state();
  }

  private async callModel(target: Target, request: ChatRequest, opts: CallOptions): Promise<Omit<CallResult, 'requested_model'>> {
    const { metrics, clock } = this.deps;
    const cacheable = this.deps.cache?.max !== 0 && !opts.onDelta && request.temperature === 0;
    // Per key: one caller's answers (or a rejected key's) are never served to another.
    const cacheKey = cacheable ? ResponseCache.key(`${target.baseUrl} ${keyHash(target.apiKey)} ${target.cacheScope ?? ''}`, target.model, request) : '';
    const hit = cacheable ? this.cache.get(cacheKey) : undefined;
    if (hit) {
      metrics.llmCacheHits.inc();
      metrics.llmCalls.inc({ model: this.label(target.model), outcome: 'cached' });
      return { ...hit, cached: true, cost_usd: 0, cost_source: 'cache', latency_ms: 0, attempt_ms: 0, retries: 0 };
    }

    const started = clock.now();
    // One controller for the deadline and the caller's cancel (AbortSignal.any costs more per call).
    const stop = new AbortController();
    let deadlinePassed = false;
    const timer = setTimeout(() => {
      deadlinePassed = true;
      stop.abort(timeoutError(opts.timeoutMs));
    }, opts.timeoutMs);
    const cancel = () => stop.abort(opts.signal?.reason);
    if (opts.signal?.aborted) cancel();
    else opts.signal?.addEventListener('abort', cancel, { once: true });
    const signal = stop.signal;
    const breaker = this.breaker(target);
    const upstream = `${this.hostOf(target.baseUrl)} ${this.label(target.model)}`;
    let retries = 0;
    try {
      for (let attempt = 0; ; attempt++) {
        const admission = breaker.admit();
        if (!admission.ok) throw breakerOpenError(admission.retryInMs);
        metrics.llmBreakerOpen.set({ upstream }, admission.probe ? 1 : 0);
        const progress = { delivered: false };
        try {
          const attemptStarted = clock.now();
          const result = await this.attempt(target, request, opts, signal, attemptStarted, progress);
          breaker.success();
          metrics.llmBreakerOpen.set({ upstream }, 0);
          const now = clock.now();
          const full = { ...result, latency_ms: now - started, attempt_ms: now - attemptStarted, retries, cached: false };
          this.record(target.model, full);
          if (cacheable && result.finish_reason !== 'error') this.cache.set(cacheKey, full);
          return full;
        } catch (raw) {
          const err = this.toUpstreamError(raw, signal);
          if (err.code === 'cancelled') {
            breaker.abandon();
            throw err;
          }
          // The upstream's health: 5xx, timeouts and network errors count against it; a 4xx means it
          // answered (a bad key or request is not an outage), and a 429 is one key's quota, not health.
          if (err.code === 'upstream_rate_limited') breaker.abandon();
          else if (err.retryable || err.status >= 500) breaker.failure();
          else breaker.success();
          metrics.llmBreakerOpen.set({ upstream }, breaker.state() === 'closed' ? 0 : 1);
          // A stream that already delivered tokens is never replayed: the visitor saw them.
          if (!err.retryable || progress.delivered || attempt >= MAX_RETRIES || deadlinePassed) {
            metrics.llmCalls.inc({ model: this.label(target.model), outcome: err.code });
            throw err;
          }
          await opts.beforeNextAttempt?.(err);
          retries++;
          metrics.llmRetries.inc({ model: this.label(target.model) });
          await this.sleep(retryDelay(attempt, err.retryAfterMs, this.deps.random), signal).catch(() => {
            throw this.toUpstreamError(signal.reason, signal);
          });
        }
      }
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', cancel);
    }
  }

  private async attempt(
    target: Target,
    request: ChatRequest,
    opts: CallOptions,
    signal: AbortSignal,
    started: number,
    progress: { delivered: boolean },
  ): Promise<Omit<CallResult, 'requested_model' | 'latency_ms' | 'attempt_ms' | 'retries' | 'cached'>> {
    // A visitor's endpoint (pinned to its checked address) goes through the SDK; the owner's providers through the pool.
    const wire = target.pin ? this.sdk : this.pooled;
    const body = { model: target.model, ...request };
    if (!opts.onDelta) {
      const data = await wire.complete(target, body, signal);
      const choice = data.choices?.[0];
      if (!choice || typeof choice.message?.content !== 'string') throw badResponseError('no message in the completion');
      // Without usage, count from what was sent and received: a missing field must never cost $0.
      const usage = reportedUsage(data.usage) ?? this.estimateUsage(request, choice.message.content);
      const answered = typeof data.model === 'string' && data.model ? data.model : target.model;
      return {
        content: choice.message.content,
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
    try {
      for await (const chunk of stream) {
        chunks++;
        if (typeof chunk.model === 'string' && chunk.model) model = chunk.model;
        if (chunk.usage) reported = chunk.usage;
        const choice = chunk.choices?.[0];
        if (choice?.finish_reason) finish = choice.finish_reason;
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
      const usage = this.estimateUsage(request, content);
      const cause = this.toUpstreamError(err, signal);
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
    const usage = reportedUsage(reported) ?? this.estimateUsage(request, content);
    if (ttft !== null) this.deps.metrics.llmTtft.observe({ model: this.label(model) }, ttft / 1000);
    return { content, model, finish_reason: finish, usage, ...this.cost(model, target.model, usage, reported), ttft_ms: ttft, error: null };
  }

  /** The upstream's reported cost when it gives one (OpenRouter does), else tokens × catalog price. */
  private cost(answered: string, requested: string, usage: Usage, reported: WireUsage | null | undefined): Pick<CallResult, 'cost_usd' | 'cost_source'> {
    if (typeof reported?.cost === 'number' && Number.isFinite(reported.cost) && reported.cost >= 0) return { cost_usd: reported.cost, cost_source: 'upstream' };
    // Providers answer with versioned ids the catalog may not list; the requested model's price then applies.
    const usd = costUsd(this.deps.priceOf(answered) ?? this.deps.priceOf(requested), usage.tokens_in, usage.tokens_out);
    return usd === null ? { cost_usd: null, cost_source: 'unknown' } : { cost_usd: usd, cost_source: 'catalog' };
  }

  /** From what was sent and received: the prompt's upper bound, and ~4 characters per output token. */
  private estimateUsage(request: ChatRequest, content: string): Usage {
    return { tokens_in: maxPromptTokens(request.messages), tokens_out: Math.ceil(content.length / 4), estimated: true };
  }

  private toUpstreamError(raw: unknown, signal: AbortSignal): UpstreamError {
    if (raw instanceof UpstreamError) return raw;
    if (signal.aborted) {
      const reason: unknown = signal.reason;
      if (reason instanceof UpstreamError) return reason;
      return cancelledError();
    }
    return unreachableError(raw);
  }

  /** Metric labels name only models with a known price (the catalog's, bounded); any other id a visitor sends is "other". */
  private label(model: string): string {
    return this.deps.priceOf(model) === null ? 'other' : model;
  }

  private record(answered: string, result: Omit<CallResult, 'requested_model'>): void {
    const { metrics } = this.deps;
    const model = this.label(answered);
    metrics.llmCalls.inc({ model, outcome: 'ok' });
    metrics.llmLatency.observe({ model }, result.latency_ms / 1000);
    metrics.llmTokens.inc({ model, direction: 'in' }, result.usage.tokens_in);
    metrics.llmTokens.inc({ model, direction: 'out' }, result.usage.tokens_out);
    if (result.cost_usd) metrics.llmUsd.inc({ model }, result.cost_usd);
  }

  /** One breaker per upstream, model and key: a visitor's failing key never trips the server key's breaker. */
  private breaker(target: Target): CircuitBreaker {
    const key = `${target.baseUrl} ${target.model} ${keyHash(target.apiKey)}`;
    let b = this.breakers.get(key);
    if (!b) this.breakers.set(key, (b = new CircuitBreaker({ clock: this.deps.clock, ...(this.deps.breaker ?? {}) })));
    return b;
  }
}

/** The provider's token counts, only when both are real counts: a missing or odd field must never cost $0 (or NaN). */
function reportedUsage(u: { prompt_tokens?: unknown; completion_tokens?: unknown } | null | undefined): Usage | undefined {
  const count = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (!u || !count(u.prompt_tokens) || !count(u.completion_tokens)) return undefined;
  return { tokens_in: u.prompt_tokens, tokens_out: u.completion_tokens, estimated: false };
}

function keyHash(apiKey: string): string {
  return hash('sha256', apiKey, 'base64url').slice(0, 16);
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
