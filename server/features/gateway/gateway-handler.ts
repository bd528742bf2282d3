/**
 * The gateway's plain node:http handler for /v1: no Express layers on a path whose whole
 * overhead budget is 0.5 ms (bench/gateway.ts). It does for itself what the app's middleware
 * does elsewhere: request id and log line, metrics, Host allow-list, draining, key-guessing limit,
 * one error shape (OpenAI's).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, shuttingDownError } from '../../core/errors/app-error.js';
import { sendError } from '../../http/error-middleware.js';
import { observeRequest } from '../../http/http-metrics.js';
import { sendJson } from '../../http/raw-json.js';
import { logCompleted, requestId } from '../../http/request-logging.js';
import type { FailedAuthWindow } from '../../core/policy/failed-auth-window.js';
import type { Metrics } from '../../core/metrics/metrics.js';
import { chatCompletions, type GatewayDeps } from './chat-completions.js';
import type { IssuedKeyRecord } from './issued-keys.js';
import { openAiError } from './openai-format.js';

export interface GatewayHandlerDeps extends GatewayDeps {
  metrics: Metrics;
  failedAuth: FailedAuthWindow;
  /** The caller's address as the app decides it (trust proxy). */
  clientIp(req: IncomingMessage): string;
  isDraining(): boolean;
  /** The Host allow-list (DNS rebinding guard): /v1 runs in front of Express, so it checks for itself. */
  hostRefusal(req: IncomingMessage): AppError | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse, key: Readonly<IssuedKeyRecord>) => void | Promise<void>;

/** True for the paths this handler answers (everything under /v1). */
export function isGatewayPath(url: string | undefined): boolean {
  return url !== undefined && /^\/v1(\/|\?|$)/i.test(url);
}

export function gatewayHandler(deps: GatewayHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: Record<string, Partial<Record<'GET' | 'POST', Handler>>> = {
    '/v1/models': {
      GET: (_req, res, key) =>
        sendJson(res, 200, {
          object: 'list',
          data: deps.admission.modelsFor(key).map((id) => ({ id, object: 'model', created: 0, owned_by: id.split('/')[0] ?? 'labcoat' })),
        }),
    },
    // Durable before announced: what it shows is on disk first (a free call's last line, say).
    '/v1/usage': { GET: async (_req, res, key) => sendJson(res, 200, await deps.usage.durably(usageView(deps, key))) },
    '/v1/chat/completions': { POST: (req, res, key) => chatCompletions(deps, req, res, key) },
  };

  return (req, res) => {
    const started = process.hrtime.bigint();
    const id = requestId(req, res);
    void req.socket.remoteAddress; // read now: a socket that closes early no longer knows it
    let ip: string | undefined;
    const ipOf = () => (ip ??= deps.clientIp(req));
    const path = (req.url ?? '/').split('?')[0]!.replace(/(.)\/$/, '$1');
    const route = routes[path];
    res.once('close', () => {
      // A caller that hung up before any answer: 499, as proxies log it (statusCode would still say 200).
      const status = res.headersSent ? res.statusCode : 499;
      observeRequest(deps.metrics, req.method ?? 'GET', route ? path : 'unmatched', status, started);
      logCompleted(deps.logger, req, status, { id, ip: ipOf, started, finished: res.writableFinished });
    });
    const serve = async () => {
      const misdirected = deps.hostRefusal(req);
      if (misdirected) throw misdirected;
      if (deps.isDraining()) throw shuttingDownError();
      if (!route)
        throw new AppError(
          404,
          'not_found',
          `There is no ${req.method} ${path.slice(0, 200)}. The gateway serves GET /v1/models, POST /v1/chat/completions and GET /v1/usage.`,
        );
      const handler = route[req.method === 'HEAD' ? 'GET' : (req.method as 'GET' | 'POST')];
      if (!handler) {
        const allowed = Object.keys(route).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
        throw new AppError(405, 'method_not_allowed', `${req.method} is not supported here; use ${allowed.join(' or ')}.`, {
          headers: { Allow: allowed.join(', ') },
        });
      }
      // The key before the body: an unauthenticated request costs a hash, not a body parse.
      deps.failedAuth.check(ipOf);
      let key: Readonly<IssuedKeyRecord>;
      try {
        key = deps.keys.authenticate(req.headers.authorization);
      } catch (err) {
        deps.failedAuth.failed(ipOf());
        throw err;
      }
      await handler(req, res, key);
    };
    serve().catch((err: unknown) => sendError(res, err, { logger: deps.logger, reqId: id, shape: openAiError }));
  };
}

function usageView(deps: GatewayDeps, key: Readonly<IssuedKeyRecord>) {
  const s = deps.usage.summary(key.id);
  return {
    object: 'usage',
    key: { id: key.id, name: key.name, prefix: key.prefix },
    day: s.day,
    month_start: s.month_start,
    today: s.today,
    month: s.month,
    limits: { rpm: key.rpm, max_concurrent: key.max_concurrent, daily_usd: key.daily_usd, monthly_usd: key.monthly_usd },
  };
}
