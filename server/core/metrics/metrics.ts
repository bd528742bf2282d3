import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app (no global default registry), so tests can build many apps. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'labcoat_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'labcoat_http_requests_total',
      help: 'HTTP requests by method, route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'labcoat_http_request_duration_seconds',
      help: 'HTTP request latency by method and route.',
      labelNames: ['method', 'route'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    liveClients: new Gauge({
      name: 'labcoat_live_clients',
      help: 'Connected live clients by transport (ws or sse).',
      labelNames: ['transport'] as const,
      registers,
    }),
    liveDropped: new Counter({
      name: 'labcoat_live_clients_dropped_total',
      help: 'Live clients dropped, by reason (stalled, heartbeat).',
      labelNames: ['reason'] as const,
      registers,
    }),
    liveMessages: new Counter({
      name: 'labcoat_live_messages_total',
      help: 'Messages sent to live clients.',
      registers,
    }),
    queueJobs: new Gauge({
      name: 'labcoat_queue_jobs',
      help: 'Jobs in the queue by state (queued, running).',
      labelNames: ['state'] as const,
      registers,
    }),
    jobsFinished: new Counter({
      name: 'labcoat_jobs_finished_total',
      help: 'Jobs that ended, by kind and final state.',
      labelNames: ['kind', 'state'] as const,
      registers,
    }),
    llmCalls: new Counter({
      name: 'labcoat_llm_calls_total',
      help: 'Model calls by requested model and outcome (ok, cached, or an error code).',
      labelNames: ['model', 'outcome'] as const,
      registers,
    }),
    llmLatency: new Histogram({
      name: 'labcoat_llm_call_duration_seconds',
      help: 'Whole model call duration, retries included.',
      labelNames: ['model'] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40, 80, 160],
      registers,
    }),
    llmTtft: new Histogram({
      name: 'labcoat_llm_time_to_first_token_seconds',
      help: 'Time to the first streamed token.',
      labelNames: ['model'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20],
      registers,
    }),
    llmTokens: new Counter({
      name: 'labcoat_llm_tokens_total',
      help: 'Tokens by model and direction (in, out).',
      labelNames: ['model', 'direction'] as const,
      registers,
    }),
    llmUsd: new Counter({
      name: 'labcoat_llm_usd_total',
      help: 'USD spent on model calls, by model.',
      labelNames: ['model'] as const,
      registers,
    }),
    llmRetries: new Counter({
      name: 'labcoat_llm_retries_total',
      help: 'Retries of model calls, by model.',
      labelNames: ['model'] as const,
      registers,
    }),
    llmBreakerOpen: new Gauge({
      name: 'labcoat_llm_breaker_open',
      help: '1 while the circuit breaker for an upstream (base URL + model) is open or probing.',
      labelNames: ['upstream'] as const,
      registers,
    }),
    llmCacheHits: new Counter({
      name: 'labcoat_llm_cache_hits_total',
      help: 'Model calls answered from the cache (cost nothing).',
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
