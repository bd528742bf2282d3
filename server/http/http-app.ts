import { createServer, type IncomingMessage, type Server } from 'node:http';
import express, { type Express, Router } from 'express';
import compression from 'compression';
import proxyAddr from 'proxy-addr';
import type { Core } from '../core/core.js';
import { isOriginAllowed } from '../core/config/resolve.js';
import { errorBody, shuttingDownError } from '../core/errors/app-error.js';
import { FailedAuthWindow } from '../core/policy/failed-auth-window.js';
import type { SessionsSlice } from '../core/policy/session-record.js';
import { attachWebSocket } from '../core/realtime/ws-transport.js';
import { sseHandler } from '../core/realtime/sse-transport.js';
import { clientErrorHandler } from './client-error.js';
import { durableAnswers } from './durable-answers.js';
import { errorMiddleware, notFound } from './error-middleware.js';
import type { Feature, HttpContext } from './feature.js';
import { hostGuard, type TrustProxy } from './host-check.js';
import { httpMetrics } from './http-metrics.js';
import { baselineRateLimit, failedAuthLimit } from './rate-limit.js';
import { requestLogging } from './request-logging.js';
import { route } from './routes.js';
import { corsPolicy, securityHeaders } from './security.js';
import { sessions } from './sessions.js';
import { staticSite } from './static-site.js';

/** Refused keys or admin tokens one address may send per minute (guessing). */
const FAILED_AUTH_PER_MINUTE = 30;

export interface HttpApp {
  express: Express;
  /** What features get from the shell. */
  context: HttpContext;
  /** Mounts the features in order and returns the server (not listening yet) and its WebSocket transport. */
  serve(features: Feature[]): { server: Server; ws: { close(): Promise<void> } };
  /** From now on every request but /health is refused with 503 shutting_down. */
  drain(): void;
}

/** The HTTP shell around the features: security, hosts, logging, sessions, errors, the page, live transports. */
export function createHttpApp(core: Core<SessionsSlice>, webDir: string): HttpApp {
  const { config, resolved, logger, metrics, store, clock } = core;
  let draining = false;
  const site = staticSite(webDir);
  const app = express();
  app.set('trust proxy', resolved.trustProxy);
  app.disable('x-powered-by');
  const trust = app.get('trust proxy fn') as TrustProxy;
  const hosts = hostGuard({ allowedHosts: resolved.allowedHosts, trust });
  const originAllowed = (origin: string | undefined, req?: IncomingMessage) => isOriginAllowed(origin, req && hosts.ownOrigin(req), resolved.allowedOrigins);
  const context: HttpContext = {
    clientIp: (req) => proxyAddr(req, trust),
    hostRefusal: hosts.refusal,
    isDraining: () => draining,
    failedAuth: new FailedAuthWindow({ perMinute: FAILED_AUTH_PER_MINUTE, clock }),
  };
  app.use(requestLogging(logger));
  app.use(httpMetrics(metrics));
  app.use(hosts.middleware);
  app.use((req, _res, next) => next(draining && req.path !== '/health' ? shuttingDownError() : undefined));
  app.use(securityHeaders(site.scriptHashes));
  app.use(compression({ filter: (req, res) => !String(res.getHeader('Content-Type') ?? '').startsWith('text/event-stream') && compression.filter(req, res) }));

  function serve(features: Feature[]) {
    for (const f of features) if (f.probes) app.use(f.probes);
    // After /health and /metrics: a stalled disk must not hang the health check.
    app.use(durableAnswers(() => store.durable(), logger));
    app.use('/api', apiRouter(features));
    const admin = features.flatMap((f) => (f.admin ? [f.admin] : []));
    if (admin.length > 0) app.use('/admin/api', failedAuthLimit(context.failedAuth), ...admin);
    app.use(site.router);
    app.use(notFound);
    const raw = features.flatMap((f) => (f.raw ? [f.raw] : []));
    const rawFor = (url: string | undefined) => raw.find((r) => r.matches(url));
    // With a raw route's feature off, its paths reach Express; clients still read errors in its shape.
    app.use(errorMiddleware(logger, (req) => rawFor(req.originalUrl)?.errorShape));
    const server = nodeServer((req, res) => {
      const handle = rawFor(req.url)?.handle;
      if (handle) handle(req, res);
      else app(req, res);
    });
    // What the parser refuses answers in the error shape of its path; before a request line was read,
    // in the raw route's (OpenAI's has code and message too).
    server.on(
      'clientError',
      clientErrorHandler((url) => (url === undefined ? (raw[0]?.errorShape ?? errorBody) : (rawFor(url)?.errorShape ?? errorBody))),
    );
    const ws = attachWebSocket(server, {
      hub: core.hub,
      path: '/ws',
      version: core.version,
      heartbeatMs: config.realtime.heartbeat_seconds * 1000,
      maxMessageBytes: config.realtime.max_message_kb * 1024,
      hostRefusal: hosts.refusal,
      isOriginAllowed: (req) => originAllowed(req.headers.origin, req),
      logger,
      metrics,
    });
    return { server, ws };
  }

  function apiRouter(features: Feature[]): Router {
    const api = Router();
    api.use(...corsPolicy({ isAllowed: originAllowed }));
    api.use(baselineRateLimit(config.server.rate_limit_per_minute));
    const timeoutMs = config.deployment.session_timeout_minutes * 60_000;
    api.use(sessions({ signingKey: core.secrets.sessionSigningKey, crossSite: resolved.crossSiteCookies, timeoutMs, store, clock }));
    const large = features.flatMap((f) => f.largeBodies ?? []);
    if (large.length > 0) api.post(large, express.json({ limit: '2mb' }));
    api.use(express.json({ limit: `${config.server.body_limit_kb}kb` }));
    const heartbeatMs = Math.min(15_000, config.realtime.heartbeat_seconds * 1000);
    route(api, '/events', { get: sseHandler(core.hub, { version: core.version, heartbeatMs }) });
    for (const f of features) if (f.api) api.use(f.api);
    api.use(notFound);
    return api;
  }

  return { express: app, context, serve, drain: () => void (draining = true) };
}

/**
 * Headers must arrive within 20 s and a whole request (its body) within 30 s, checked every second:
 * a body that stalls gets 408 instead of holding a socket. Both end once the request is read, so a
 * long answer (SSE, a streamed completion, a WebSocket) is never cut. A missing Host is the Host
 * guard's to refuse (421 in the error shape), not Node's bare 400.
 */
function nodeServer(handler: Parameters<typeof createServer>[1]): Server {
  const server = createServer({ headersTimeout: 20_000, requestTimeout: 30_000, connectionsCheckingInterval: 1000, requireHostHeader: false }, handler);
  // Idle keep-alive outlives the Space proxy's, so the proxy never reuses a socket we just closed (502s).
  server.keepAliveTimeout = 65_000;
  return server;
}
