import type { Core } from '../../core/core.js';
import type { JobsSlice } from '../../core/jobs/job-types.js';
import type { Slice } from '../../core/store/slice.js';
import type { Feature } from '../../http/feature.js';
import { BatchService } from './batch-service.js';
import { BatchSessions, type BatchSessionRecord } from './batch-sessions.js';
import { type Resolver, systemResolver } from './endpoint-guard.js';
import type { BatchRun } from './run-types.js';
import { batchRunRoutes } from './run-routes.js';
import { batchRoutes } from './session-routes.js';

/** The part of the state document batch tests keep. */
export interface BatchState {
  /** Visitors' endpoints for batch tests, keys sealed; deleted at expiry. */
  batch_sessions: Record<string, BatchSessionRecord>;
  /** Batch runs by id, with their results; removed with their batch sessions. */
  batch_runs: Record<string, BatchRun>;
}

/** Batch sessions came in schema v4, batch runs in v5. */
export const batchSlice: Slice<BatchState> = {
  empty: () => ({ batch_sessions: {}, batch_runs: {} }),
  migrations: [
    { to: 4, up: (s) => ({ ...s, batch_sessions: {} }) },
    { to: 5, up: (s) => ({ ...s, batch_runs: {} }) },
  ],
};

/** Batch tests of any OpenAI-compatible endpoint: sessions, a queued job per run, live on batch:<id>. */
export function mountBatch(core: Core<BatchState & JobsSlice>, opts: { resolveHost?: Resolver | undefined } = {}): Feature {
  const { config, store, clock, llm } = core;
  const sessions = new BatchSessions({
    store,
    clock,
    storageKey: core.secrets.storageKey,
    addressHashKey: core.secrets.addressHashKey,
    ttlMs: config.batch.session_ttl_minutes * 60_000,
    maxPerAddress: config.batch.max_active_sessions_per_ip,
    onRemoved: (ids) => service.dropForSessions(ids),
  });
  const service = new BatchService({
    store,
    clock,
    publisher: core.hub,
    runs: core.runs,
    llm,
    sessions,
    priceOf: core.priceOf,
    maxRunMs: config.batch.max_run_seconds * 1000,
  });
  sessions.cleanup(); // sessions (and keys) that expired while the server was down
  const endpoints = batchRoutes({
    llm,
    sessions,
    allowPrivate: core.env.allowPrivateEndpoints,
    resolve: opts.resolveHost ?? systemResolver,
    connectTimeoutMs: config.llm.timeouts_seconds.connect * 1000,
  });
  const runs = batchRunRoutes({
    service,
    llm,
    gate: core.gate,
    metered: core.metered,
    maxConcurrency: config.batch.max_concurrency,
    maxTimeoutS: config.llm.timeouts_seconds.batch,
    chatTimeoutMs: config.llm.timeouts_seconds.chat * 1000,
    version: core.version,
    now: () => clock.now(),
  });
  endpoints.use(runs);
  return {
    api: endpoints,
    largeBodies: ['/batch/runs', '/batch/estimate', '/batch/suites/parse'],
    topics: [{ matches: (t) => t.startsWith('batch:'), snapshot: (t) => service.snapshot(t) }],
    prune: () => sessions.cleanup(),
  };
}
