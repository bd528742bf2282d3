import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { AppStore } from './app-state.js';
import type { Clock } from './core/clock.js';
import type { RuntimeEnv } from './core/config/env.js';
import type { Config } from './core/config/schema.js';
import { buildCore, type Core } from './core/core.js';
import type { JobHandler } from './core/jobs/job-types.js';
import type { JobQueue } from './core/jobs/queue.js';
import type { Catalog } from './core/llm/catalog.js';
import type { LlmClient } from './core/llm/llm-client.js';
import type { Logger } from './core/log/logger.js';
import type { Metrics } from './core/metrics/metrics.js';
import type { Hub } from './core/realtime/hub.js';
import type { Secrets } from './core/secrets/secret-key.js';
import type { Ledger } from './core/accounting/ledger.js';
import type { MeteredLlm } from './core/accounting/metered-llm.js';
import type { Feature } from './http/feature.js';
import { createHttpApp } from './http/http-app.js';
import { pruneSessions } from './http/sessions.js';
import type { Resolver } from './features/batch/endpoint-guard.js';
import { mountBatch } from './features/batch/feature.js';
import { mountChat } from './features/chat/feature.js';
import { mountGateway } from './features/gateway/feature.js';
import { mountModels } from './features/models/feature.js';
import { mountQueue } from './features/queue/feature.js';
import { mountResearch } from './features/research/feature.js';
import { mountSystem } from './features/system/feature.js';
import { mountUsage } from './features/usage/feature.js';

/** Finished jobs are kept this long for their pages and exports, then forgotten. */
const JOB_RETENTION_MS = 7 * 24 * 3600_000;

export interface AppDeps {
  config: Config;
  env: RuntimeEnv;
  store: AppStore;
  secrets: Secrets;
  clock: Clock;
  logger: Logger;
  version: string;
  /** Folder with index.html and the page's modules. */
  webDir: string;
  /** The model list (live or shipped snapshot); also the price source for every cost. */
  catalog: Catalog;
  /** Extra job kinds the queue can run (tests). */
  jobHandlers?: Record<string, JobHandler>;
  /** Set by `npm run demo`: the upstream is the simulated model, and the page and exports say so. */
  simulated?: boolean;
  /** How visitors' endpoint names are resolved (tests inject one; no test may use real DNS). */
  resolveHost?: Resolver;
  /** How literature requests are sent (benchmarks add a source's latency); the platform's fetch by default. */
  literatureFetch?: typeof fetch;
}

export interface App {
  server: Server;
  express: Express;
  hub: Hub;
  jobs: JobQueue;
  metrics: Metrics;
  llm: LlmClient;
  /** The daily cap and the spending ledger. */
  ledger: Ledger;
  /** The LLM client behind the cost rules: what every model-calling feature uses. */
  metered: MeteredLlm;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, interrupts running jobs (resumable), closes live clients, flushes the store. */
  close(opts?: { graceMs?: number }): Promise<void>;
}

/** Builds the core, mounts the features on the HTTP shell; nothing here reads the environment. */
export function createApp(deps: AppDeps): App {
  const core = buildCore({ ...deps, simulated: deps.simulated ?? false });
  for (const [kind, handler] of Object.entries(deps.jobHandlers ?? {})) core.jobs.handle(kind, handler);
  const http = createHttpApp(core, deps.webDir);
  // Order is the order of their routes under /api.
  const features: Feature[] = [
    mountSystem(core, http.context),
    mountQueue(core),
    mountModels(core),
    mountUsage(core),
    mountResearch(core),
    mountChat(core),
    mountBatch(core, { resolveHost: deps.resolveHost }),
    mountGateway(core, http.context),
  ];
  for (const topic of features.flatMap((f) => f.topics ?? [])) core.hub.addTopic(topic);
  const { server, ws } = http.serve(features);
  core.runs.recover(); // every kind's runs, then the queue
  const pruner = setInterval(() => prune(core, features), 60_000);
  pruner.unref();

  let closing: Promise<void> | undefined;
  async function shutDown(graceMs: number): Promise<void> {
    http.drain();
    clearInterval(pruner);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await core.jobs.shutdown(Math.max(0, graceMs - 3000));
    await ws.close();
    core.hub.closeAll('server shutting down');
    const timer = setTimeout(() => server.closeAllConnections(), 1000);
    await closed;
    clearTimeout(timer);
    for (const f of features) f.close?.();
    core.ledger.releaseHeadroom(); // no call can draw on it now: a clean restart charges none of it
    await core.store.flush();
    core.llm.close();
  }

  return {
    server,
    express: http.express,
    hub: core.hub,
    jobs: core.jobs,
    metrics: core.metrics,
    llm: core.llm,
    ledger: core.ledger,
    metered: core.metered,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close({ graceMs = 8000 } = {}) {
      closing ??= shutDown(graceMs);
      return closing;
    },
  };
}

/** Forgets what has expired: idle sessions, old jobs, quota windows, ledger days, and each feature's own. */
function prune(core: Core<AppStore['data']>, features: Feature[]): void {
  const { config, clock } = core;
  pruneSessions(core.store, clock.now(), config.deployment.session_timeout_minutes * 60_000);
  core.runs.prune(JOB_RETENTION_MS);
  core.quotas.prune();
  core.ledger.prune();
  core.literature?.library.prune();
  for (const f of features) f.prune?.();
}
