import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { Router, type Express } from 'express';
import compression from 'compression';
import proxyAddr from 'proxy-addr';
import { Gauge } from 'prom-client';
import type { Clock } from './core/clock.js';
import type { Config } from './core/config/schema.js';
import type { RuntimeEnv } from './core/config/env.js';
import { isOriginAllowed, resolveSettings } from './core/config/resolve.js';
import type { Logger } from './core/log/logger.js';
import type { Secrets } from './core/secrets/secret-key.js';
import type { AppStore } from './app-state.js';
import { createMetrics, type Metrics } from './core/metrics/metrics.js';
import { Hub } from './core/realtime/hub.js';
import { attachWebSocket } from './core/realtime/ws-transport.js';
import { sseHandler } from './core/realtime/sse-transport.js';
import { JobQueue } from './core/jobs/queue.js';
import type { JobHandler } from './core/jobs/job-types.js';
import { errorBody, shuttingDownError } from './core/errors/app-error.js';
import { clientErrorHandler } from './http/client-error.js';
import { errorMiddleware, notFound } from './http/error-middleware.js';
import { durableAnswers } from './http/durable-answers.js';
import { requestLogging } from './http/request-logging.js';
import { httpMetrics } from './http/http-metrics.js';
import { corsPolicy, securityHeaders } from './http/security.js';
import { hostGuard, type TrustProxy } from './http/host-check.js';
import { baselineRateLimit, failedAuthLimit } from './http/rate-limit.js';
import { pruneSessions, sessions } from './http/sessions.js';
import { staticSite } from './http/static-site.js';
import { systemRoutes } from './features/system/routes.js';
import { jobRoutes } from './features/queue/routes.js';
import { publicConfig } from './features/system/public-config.js';
import { route } from './http/routes.js';
import { modelRoutes } from './features/models/routes.js';
import type { Catalog } from './core/llm/catalog.js';
import { LlmClient } from './core/llm/llm-client.js';
import { modelAccessPolicy } from './core/policy/model-access.js';
import { Quotas } from './core/policy/quotas.js';
import { Ledger } from './core/accounting/ledger.js';
import { MeteredLlm } from './core/accounting/metered-llm.js';
import { priceBook } from './core/accounting/price-book.js';
import { registerBudgetMetrics } from './core/accounting/budget-metrics.js';
import { keyCreditLookup } from './core/llm/key-credit.js';
import type { KeySources } from './core/llm/targets.js';
import { admissionPolicy } from './core/policy/admission.js';
import { chatRoutes } from './features/chat/routes.js';
import { usageRoutes } from './features/usage/routes.js';
import { batchRoutes } from './features/batch/session-routes.js';
import { BatchSessions } from './features/batch/batch-sessions.js';
import { BatchService, JOB_KIND as BATCH_JOB } from './features/batch/batch-service.js';
import { batchRunRoutes } from './features/batch/run-routes.js';
import { adminRoutes } from './features/gateway/admin-routes.js';
import { gatewayHandler, isGatewayPath } from './features/gateway/gateway-handler.js';
import { FailedAuthWindow } from './core/policy/failed-auth-window.js';
import { GatewayUsageBook } from './features/gateway/gateway-usage.js';
import { IssuedKeys } from './features/gateway/issued-keys.js';
import { KeyLimiter } from './core/policy/key-limiter.js';
import { openAiError } from './features/gateway/openai-format.js';
import { systemResolver, type Resolver } from './features/batch/endpoint-guard.js';
import { researchRoutes } from './features/research/routes.js';
import { JOB_KIND as RESEARCH_JOB, ResearchService } from './features/research/research-service.js';
import { runViews } from './features/research/run-view.js';
import { findRun } from './features/research/run-store.js';

/** Refused keys or admin tokens one address may send per minute (guessing). */
const FAILED_AUTH_PER_MINUTE = 30;

/** Model calls one research cycle makes at once (reviews, matches, children). */
const RESEARCH_PARALLEL_CALLS = 4;

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
  /** Extra job kinds the queue can run (tests); features register theirs here. */
  jobHandlers?: Record<string, JobHandler>;
  /** Set by `npm run demo`: the upstream is the simulated model, and the page and exports say so. */
  simulated?: boolean;
  /** How visitors' endpoint names are resolved (tests inject one; no test may use real DNS). */
  resolveHost?: Resolver;
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

/** Builds the whole app from its dependencies; nothing here reads the environment. */
export function createApp(deps: AppDeps): App {
  const { config, env, store, clock, logger, version } = deps;
  const resolved = resolveSettings(config, env);
  const metrics = createMetrics();
  const startedAt = clock.now();
  let draining = false;
  let closing: Promise<void> | undefined;

  new Gauge({
    name: 'labcoat_store_writes',
    help: 'Writes of state.json since start (updates are coalesced into few writes).',
    registers: [metrics.registry],
    collect() {
      this.set(store.stats().writes);
    },
  });

  const hub = new Hub({
    maxBufferedBytes: config.realtime.max_buffered_kb * 1024,
    maxTopicsPerClient: config.realtime.max_topics_per_client,
    logger,
    metrics,
    settled: () => store.durable(),
  });
  const handlers: Record<string, JobHandler> = { ...deps.jobHandlers };
  const jobs = new JobQueue({
    store,
    publisher: hub,
    clock,
    logger,
    metrics,
    maxConcurrent: config.deployment.max_concurrent_jobs,
    maxQueueSize: config.deployment.max_queue_size,
    handlers,
  });
  hub.addTopic({ matches: (t) => t === 'queue', snapshot: () => jobs.snapshot() });
  hub.addTopic({ matches: (t) => t.startsWith('job:'), snapshot: (t) => jobs.view(t.slice(4)) });

  const priceOf = priceBook((model) => deps.catalog.priceOf(model), config.cost_control.assumed_prices);
  const llm = new LlmClient({
    clock,
    logger,
    metrics,
    priceOf,
    cache: { max: config.llm.cache_entries, ttlMs: config.llm.cache_ttl_seconds * 1000 },
  });
  const cost = costControl();

  const site = staticSite(deps.webDir);
  const app = express();
  app.set('trust proxy', resolved.trustProxy);
  app.disable('x-powered-by');
  const hosts = hostGuard({ allowedHosts: resolved.allowedHosts, trust: app.get('trust proxy fn') as TrustProxy });
  const originAllowed = (origin: string | undefined, req?: IncomingMessage) => isOriginAllowed(origin, req && hosts.ownOrigin(req), resolved.allowedOrigins);
  app.use(requestLogging(logger));
  app.use(httpMetrics(metrics));
  app.use(hosts.middleware);
  app.use((req, _res, next) => {
    if (draining && req.path !== '/health') return next(shuttingDownError());
    next();
  });
  const failedAuth = new FailedAuthWindow({ perMinute: FAILED_AUTH_PER_MINUTE, clock });
  const gateway = gatewayParts();
  app.use(securityHeaders(site.scriptHashes));
  app.use(compression({ filter: (req, res) => !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') && compression.filter(req, res) }));
  app.use(
    systemRoutes({
      version,
      mode: resolved.mode,
      startedAt,
      now: () => clock.now(),
      storeStats: () => store.stats(),
      isDraining: () => draining,
      registry: metrics.registry,
    }),
  );
  // After /health and /metrics: a stalled disk must not hang the health check.
  app.use(durableAnswers(() => store.durable(), logger));

  const api = Router();
  api.use(...corsPolicy({ isAllowed: originAllowed }));
  api.use(baselineRateLimit(config.server.rate_limit_per_minute));
  const sessionTimeoutMs = config.deployment.session_timeout_minutes * 60_000;
  api.use(sessions({ signingKey: deps.secrets.sessionSigningKey, crossSite: resolved.crossSiteCookies, timeoutMs: sessionTimeoutMs, store, clock }));
  // These take an uploaded suite (up to 1 MB of text, more once JSON-escaped); the rest keep the small limit.
  api.post(['/batch/runs', '/batch/estimate', '/batch/suites/parse'], express.json({ limit: '2mb' }));
  api.use(express.json({ limit: `${config.server.body_limit_kb}kb` }));
  const publicView = publicConfig(config, env, resolved, version, deps.simulated ?? false);
  route(api, '/config', { get: (_req, res) => void res.json(publicView) });
  route(api, '/events', { get: sseHandler(hub, { version, heartbeatMs: Math.min(15_000, config.realtime.heartbeat_seconds * 1000) }) });
  api.use(
    jobRoutes(jobs, {
      managed: { [RESEARCH_JOB]: 'POST /api/research/runs/:id/cancel or /resume', [BATCH_JOB]: 'POST /api/batch/runs/:id/cancel or /resume' },
    }),
  );
  api.use(modelRoutes(deps.catalog, cost.access, resolved.allowedModels, () => clock.now()));
  api.use(
    usageRoutes({
      quotas: cost.quotas,
      ledger: cost.ledger,
      hasServerKey: env.serverKey !== undefined,
      byokEnabled: config.byok.enabled,
      keyCredit: cost.keyCredit,
    }),
  );
  const research = new ResearchService({
    store,
    clock,
    publisher: hub,
    metered: cost.metered,
    jsonMode: (model) => deps.catalog.get(model)?.json_mode ?? false,
    timeoutMs: config.llm.timeouts_seconds.research * 1000,
    parallelCalls: RESEARCH_PARALLEL_CALLS,
    jobs,
    logger,
    quotas: cost.quotas,
    maxWaitingPerCycle: config.deployment.max_hypotheses_per_cycle,
    serverCall: (model, session) => cost.gate.serverCall(model, session),
    chainPrice: (call) => cost.metered.chainPrice(call),
  });
  handlers[RESEARCH_JOB] = research.handle;
  const runView = runViews();
  hub.addTopic({
    matches: (t) => t.startsWith('research:'),
    snapshot: (t) => {
      const run = findRun(store, t.slice('research:'.length));
      return run ? runView(run, undefined) : undefined;
    },
  });
  api.use(
    researchRoutes({
      gate: cost.gate,
      metered: cost.metered,
      priceOf,
      quotas: cost.quotas,
      service: research,
      store,
      maxHypothesesPerCycle: config.deployment.max_hypotheses_per_cycle,
      simulated: deps.simulated ?? false,
      runView,
    }),
  );
  api.use(chatRoutes(cost.gate, cost.metered, config.llm.timeouts_seconds.chat * 1000));
  const batchSessions = new BatchSessions({
    store,
    clock,
    storageKey: deps.secrets.storageKey,
    addressHashKey: deps.secrets.addressHashKey,
    ttlMs: config.batch.session_ttl_minutes * 60_000,
    maxPerAddress: config.batch.max_active_sessions_per_ip,
    onRemoved: (ids) => batch.dropForSessions(ids),
  });
  const batch = new BatchService({
    store,
    clock,
    publisher: hub,
    jobs,
    llm,
    sessions: batchSessions,
    logger,
    priceOf,
    maxRunMs: config.batch.max_run_seconds * 1000,
  });
  handlers[BATCH_JOB] = batch.handle;
  hub.addTopic({ matches: (t) => t.startsWith('batch:'), snapshot: (t) => batch.snapshot(t) });
  batchSessions.cleanup(); // sessions (and keys) that expired while the server was down
  api.use(
    batchRoutes({
      llm,
      sessions: batchSessions,
      allowPrivate: env.allowPrivateEndpoints,
      resolve: deps.resolveHost ?? systemResolver,
      connectTimeoutMs: config.llm.timeouts_seconds.connect * 1000,
    }),
  );
  api.use(
    batchRunRoutes({
      service: batch,
      llm,
      gate: cost.gate,
      metered: cost.metered,
      maxConcurrency: config.batch.max_concurrency,
      maxTimeoutS: config.llm.timeouts_seconds.batch,
      chatTimeoutMs: config.llm.timeouts_seconds.chat * 1000,
      version,
      now: () => clock.now(),
    }),
  );
  api.use(notFound);
  app.use('/api', api);

  app.use('/admin/api', failedAuthLimit(failedAuth), adminRoutes({ adminToken: env.adminToken, keys: gateway.keys, usage: gateway.usage }));

  app.use(site.router);
  app.use(notFound);
  // With the gateway off, /v1 reaches Express; clients still read its 404 in OpenAI's shape.
  app.use(errorMiddleware(logger, (req) => (isGatewayPath(req.originalUrl) ? openAiError : undefined)));

  // /v1 goes straight to the gateway's own handler (gateway-handler.ts): no Express layers on its hot path.
  // Headers must arrive within 20 s and a whole request (its body) within 30 s, checked every second:
  // a body that stalls gets 408 instead of holding a socket. Both end once the request is read, so
  // a long answer (SSE, a streamed completion, a WebSocket) is never cut. A missing Host is the Host
  // guard's to refuse (421 in the error shape), not Node's bare 400.
  const server = createServer({ headersTimeout: 20_000, requestTimeout: 30_000, connectionsCheckingInterval: 1000, requireHostHeader: false }, (req, res) =>
    config.gateway.enabled && isGatewayPath(req.url) ? gateway.handle(req, res) : app(req, res),
  );
  // Idle keep-alive outlives the Space proxy's, so the proxy never reuses a socket we just closed (502s).
  server.keepAliveTimeout = 65_000;
  // What the parser refuses (431, a bad request line, the 408 above) answers in the error shape of its
  // path; before a request line was read, in OpenAI's, which has code and message too.
  server.on(
    'clientError',
    clientErrorHandler((url) => (url === undefined || isGatewayPath(url) ? openAiError : errorBody)),
  );
  const ws = attachWebSocket(server, {
    hub,
    path: '/ws',
    version,
    heartbeatMs: config.realtime.heartbeat_seconds * 1000,
    maxMessageBytes: config.realtime.max_message_kb * 1024,
    hostRefusal: hosts.refusal,
    isOriginAllowed: (req) => originAllowed(req.headers.origin, req),
    logger,
    metrics,
  });
  research.recover(); // before the queue starts what was waiting
  batch.recover();
  jobs.recover();
  const pruner = setInterval(() => {
    pruneSessions(store, clock.now(), sessionTimeoutMs);
    jobs.prune(JOB_RETENTION_MS);
    cost.quotas.prune();
    cost.ledger.prune();
    batchSessions.cleanup();
    gateway.usage.prune();
  }, 60_000);
  pruner.unref();

  return {
    server,
    express: app,
    hub,
    jobs,
    metrics,
    llm,
    ledger: cost.ledger,
    metered: cost.metered,
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

  /** Issued keys, their limits and usage records, and the /v1 routes that use them. */
  function gatewayParts() {
    const keys = new IssuedKeys({
      store,
      clock,
      defaults: {
        rpm: config.gateway.default_key_rpm,
        daily_usd: config.gateway.default_key_daily_usd,
        max_concurrent: config.gateway.default_key_max_concurrent,
      },
    });
    const usage = new GatewayUsageBook({ store, clock });
    usage.chargeRecovered(cost.recovered);
    const trust = app.get('trust proxy fn') as Parameters<typeof proxyAddr>[1];
    const handle = gatewayHandler({
      keys,
      admission: cost.gate,
      usage,
      metered: cost.metered,
      timeoutMs: config.llm.timeouts_seconds.gateway * 1000,
      now: () => clock.now(),
      bodyLimitKb: config.server.body_limit_kb,
      logger,
      metrics,
      failedAuth,
      clientIp: (req) => proxyAddr(req, trust),
      isDraining: () => draining,
      hostRefusal: hosts.refusal,
    });
    return { keys, usage, handle };
  }

  /** Whitelist, tiers, quotas, the daily cap and the ledger: the cost rules every model call goes through. */
  function costControl() {
    const c = config.cost_control;
    const access = modelAccessPolicy(config, resolved.allowedModels);
    const duplicate = env.spaceId ? ` or duplicate the Space (https://huggingface.co/spaces/${env.spaceId}?duplicate=true) with your own key` : '';
    const wayOut = config.byok.enabled
      ? ` To go on now, add your own OpenRouter key in Settings${duplicate}.`
      : duplicate
        ? ` To go on now,${duplicate.slice(3)}.`
        : '';
    let pending: NodeJS.Timeout | undefined;
    // Spend changes on every call; the page needs a few updates a second at most.
    const usageChanged = () => {
      pending ??= setTimeout(() => {
        pending = undefined;
        hub.publish('usage', { type: 'event', kind: 'usage', global: ledger.usage() });
      }, 200);
      pending.unref();
    };
    const ledger = new Ledger({ store, clock, logger, capUsd: c.daily_spending_limit_usd, alertFraction: c.alert_at_fraction, wayOut, onChange: usageChanged });
    const recovered = ledger.recover();
    const quotas = new Quotas({
      store,
      clock,
      ipHashKey: deps.secrets.addressHashKey,
      wayOut,
      limits: {
        cyclesPerSession: config.deployment.max_cycles_per_session,
        requestsPerSession: c.per_session_limit_requests,
        requestsPerHourPerIp: c.requests_per_hour_per_ip,
      },
    });
    hub.addTopic({ matches: (t) => t === 'usage', snapshot: () => ledger.usage() });
    registerBudgetMetrics(metrics.registry, () => ledger.usage());
    const sources: KeySources = {
      server: env.serverKey ? { apiKey: env.serverKey, baseUrl: env.llmBaseUrl } : undefined,
      byok: { enabled: config.byok.enabled, baseUrl: env.llmBaseUrl },
    };
    const anonymous = resolved.allowedModels.filter((m) => access(m).tier === 'anonymous');
    const byokModels = resolved.allowedModels.filter((m) => access(m).tier !== 'unavailable');
    const gate = admissionPolicy({
      sources,
      access,
      priceOf,
      quotas,
      limiter: new KeyLimiter({ clock }),
      fallbacks: config.llm.fallback_models,
      allowedFor: (mode) => (mode === 'byok' ? byokModels : anonymous),
      allowedModels: resolved.allowedModels,
      providers: Object.entries(config.gateway.providers).map(([name, p]) => ({
        name,
        baseUrl: p.base_url.replace(/\/+$/, ''),
        apiKey: env.providerKeys[p.key_env],
        models: p.models,
      })),
      spaceId: env.spaceId,
    });
    const metered = new MeteredLlm({ llm, ledger, priceOf, defaultMaxTokens: c.default_max_tokens });
    const keyCredit = keyCreditLookup({ baseUrl: env.llmBaseUrl, timeoutMs: 5000, clock });
    return { access, ledger, quotas, gate, metered, keyCredit, recovered };
  }

  /** Stops accepting, interrupts running jobs (resumable), closes live clients, flushes the store. */
  async function shutDown(graceMs: number): Promise<void> {
    draining = true;
    clearInterval(pruner);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await jobs.shutdown(Math.max(0, graceMs - 3000));
    await ws.close();
    hub.closeAll('server shutting down');
    const timer = setTimeout(() => server.closeAllConnections(), 1000);
    await closed;
    clearTimeout(timer);
    cost.ledger.releaseHeadroom(); // no call can draw on it now: a clean restart charges none of it
    await store.flush();
    llm.close();
  }
}
