/**
 * The one way Labcoat calls a model: whole-call deadline, one retry policy, a breaker per
 * upstream, fallback models, a cache, and usage with cost. Each attempt (attempt.ts) goes over a
 * Wire: the pooled node:http one for the providers the owner configures, the official SDK for
 * visitors' own endpoints. The call's types are in chat-types.ts.
 */
import { hash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Price } from '../accounting/pricing.js';
import { LRUCache } from 'lru-cache';
import { AttemptRunner, toUpstreamError } from './attempt.js';
import type { CallOptions, CallResult, ChatRequest } from './chat-types.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { checkReasoning, requestFor } from './reasoning.js';
import { ResponseCache } from './response-cache.js';
import { MAX_RETRIES, retryDelay } from './retry-policy.js';
import { UpstreamError, breakerOpenError, timeoutError } from './upstream-error.js';
import type { Target } from './wire.js';

export type { Target } from './wire.js';
export type { CallOptions, CallResult, ChatMessage, ChatRequest, ReasoningSetting, Usage } from './chat-types.js';

export interface LlmClientDeps {
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** Price per token of a model, from the catalog; null when unknown. */
  priceOf(model: string): Price | null;
  /** Whether the catalog lists the model as accepting `reasoning`; without it, `reasoning` is never sent. */
  supportsReasoning?(model: string): boolean;
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
  private readonly attempts: AttemptRunner;

  constructor(private readonly deps: LlmClientDeps) {
    this.cache = new ResponseCache({ max: deps.cache?.max ?? 100, ttlMs: deps.cache?.ttlMs ?? 5 * 60_000, clock: deps.clock });
    this.sleep = deps.sleep ?? abortableSleep;
    this.attempts = new AttemptRunner({ ...deps, label: (model) => this.label(model) });
  }

  /** Closes pooled connections (shutdown). */
  close(): void {
    this.attempts.close();
  }

  /** One chat completion; with `onDelta` it streams. Throws UpstreamError. */
  async chat(target: Target, request: ChatRequest, opts: CallOptions): Promise<CallResult> {
    checkReasoning(request);
    const models = [target.model, ...(opts.fallbacks ?? []).filter((m) => m !== target.model)];
    let lastError: UpstreamError | undefined;
    for (const model of models) {
      try {
        const to = { ...target, model };
        // Per model: a fallback may not take `reasoning` where the first one does.
        const result = await this.callModel(to, requestFor(request, to, this.deps.supportsReasoning?.(model) === true), opts);
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
          const result = await this.attempts.run(target, request, opts, signal, attemptStarted, progress);
          breaker.success();
          metrics.llmBreakerOpen.set({ upstream }, 0);
          const now = clock.now();
          const full = { ...result, latency_ms: now - started, attempt_ms: now - attemptStarted, retries, cached: false };
          this.record(target.model, full);
          if (cacheable && result.finish_reason !== 'error') this.cache.set(cacheKey, full);
          return full;
        } catch (raw) {
          const err = toUpstreamError(raw, signal);
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
            throw toUpstreamError(signal.reason, signal);
          });
        }
      }
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', cancel);
    }
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
