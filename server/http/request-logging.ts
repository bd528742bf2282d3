import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { RequestHandler } from 'express';
import type { Logger } from '../core/log/logger.js';
import { scrubString } from '../core/log/redact.js';

const REQUEST_ID = /^[\w.-]{8,64}$/;
const QUIET = /^\/(health|metrics|vendor\/|favicon|[\w-]+\.(js|css|svg|png|ico)$|components\/|views\/|lib\/)/;

/** The caller's X-Request-ID when it looks like one, else a new id; echoed on the response. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-ID', id);
  return id;
}

/** The line pino-http writes, for a request served without Express (the gateway's plain handler). */
export function logCompleted(
  logger: Logger,
  req: IncomingMessage,
  status: number,
  line: { id: string; ip: () => string; started: bigint; finished: boolean },
): void {
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      req: { id: line.id, method: req.method, url: scrubString(req.url ?? '') },
      ip: line.ip(),
      res: { status },
      responseTime: Math.round(Number(process.hrtime.bigint() - line.started) / 1e6),
    },
    line.finished ? 'request completed' : 'request aborted',
  );
}

/** One JSON line per request with a request id (echoed as X-Request-ID); no headers, so no secrets. */
export function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: requestId,
    autoLogging: { ignore: (req) => req.method === 'GET' && QUIET.test(req.url ?? '') },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      req: (req: { method: string; url: string }) => ({
        method: req.method,
        url: scrubString(req.url),
      }),
      // The standard serializer reports null before headers are flushed; the raw response knows.
      res: (res: { statusCode: number | null; raw?: { statusCode: number } }) => ({ status: res.raw?.statusCode ?? res.statusCode }),
    },
    customProps: (req) => ({ ip: (req as { ip?: string }).ip }),
    quietReqLogger: true,
  }) as unknown as RequestHandler;
}
