import { Gauge } from 'prom-client';
import type { Clock } from './clock.js';
import type { Config } from './config/schema.js';
import type { RuntimeEnv } from './config/env.js';
import { type Resolved, resolveSettings } from './config/resolve.js';
import type { Logger } from './log/logger.js';
import type { Secrets } from './secrets/secret-key.js';
import type { Store } from './store/store.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { Hub } from './realtime/hub.js';
import { JobQueue } from './jobs/queue.js';
import { RunLifecycle } from './jobs/run-lifecycle.js';
import type { Catalog } from './llm/catalog.js';
import { LlmClient } from './llm/llm-client.js';
import type { Price } from './accounting/pricing.js';
import { priceBook } from './accounting/price-book.js';
import { type CostRules, costRules } from './cost-rules.js';
import { buildLibrary } from './literature/build-library.js';
import type { CoreState } from './core-state.js';

/** What the core is built from (main.ts reads them from the environment; tests inject them). */
export interface CoreDeps<S extends object = CoreState> {
  config: Config;
  env: RuntimeEnv;
  store: Store<S>;
  secrets: Secrets;
  clock: Clock;
  logger: Logger;
  version: string;
  /** The model list (live or shipped snapshot); also the price source for every cost. */
  catalog: Catalog;
  /** Set by `npm run demo`: the upstream is the simulated model. */
  simulated: boolean;
  /** How literature requests are sent; the platform's fetch by default. */
  literatureFetch?: typeof fetch;
}

/**
 * What every feature builds on: settings, the store, the live hub, the job queue, the LLM client
 * and the cost rules (whitelist, tiers, quotas, cap, ledger, the gate). Knows no feature.
 */
export interface Core<S extends object = CoreState> extends CoreDeps<S>, CostRules {
  resolved: Resolved;
  metrics: Metrics;
  hub: Hub;
  jobs: JobQueue;
  /** The one run life cycle: features register their run kinds (research, batch) on it. */
  runs: RunLifecycle;
  llm: LlmClient;
  priceOf: (model: string) => Price | null;
  /** The literature sources config.yaml enables (search, and Crossref to resolve DOIs); null with literature off. */
  literature: ReturnType<typeof buildLibrary>;
  startedAt: number;
}

/** Builds the core from its dependencies; reads no environment. */
export function buildCore<S extends CoreState>(deps: CoreDeps<S>): Core<S> {
  const { config, env, store, clock, logger } = deps;
  const resolved = resolveSettings(config, env);
  const metrics = createMetrics();
  storeWritesGauge(metrics, () => store.stats().writes);
  const hub = new Hub({
    maxBufferedBytes: config.realtime.max_buffered_kb * 1024,
    maxTopicsPerClient: config.realtime.max_topics_per_client,
    logger,
    metrics,
    settled: () => store.durable(),
  });
  const jobs = new JobQueue({
    store,
    publisher: hub,
    clock,
    logger,
    metrics,
    maxConcurrent: config.deployment.max_concurrent_jobs,
    maxQueueSize: config.deployment.max_queue_size,
  });
  hub.addTopic({ matches: (t) => t === 'queue', snapshot: () => jobs.snapshot() });
  hub.addTopic({ matches: (t) => t.startsWith('job:'), snapshot: (t) => jobs.view(t.slice(4)) });
  const runs = new RunLifecycle({ queue: jobs, publisher: hub, clock, logger });
  const priceOf = priceBook((model) => deps.catalog.priceOf(model), config.cost_control.assumed_prices);
  const llm = new LlmClient({
    clock,
    logger,
    metrics,
    priceOf,
    supportsReasoning: (model) => deps.catalog.get(model)?.reasoning === true,
    cache: { max: config.llm.cache_entries, ttlMs: config.llm.cache_ttl_seconds * 1000 },
  });
  const cost = costRules({ config, env, resolved, store, clock, logger, hub, metrics, llm, priceOf, ipHashKey: deps.secrets.addressHashKey });
  const literature = buildLibrary({ config, store, clock, version: deps.version, ...(deps.literatureFetch ? { fetch: deps.literatureFetch } : {}) });
  return { ...deps, ...cost, resolved, metrics, hub, jobs, runs, llm, priceOf, literature, startedAt: clock.now() };
}

function storeWritesGauge(metrics: Metrics, writes: () => number): void {
  new Gauge({
    name: 'labcoat_store_writes',
    help: 'Writes of state.json since start (updates are coalesced into few writes).',
    registers: [metrics.registry],
    collect() {
      this.set(writes());
    },
  });
}
