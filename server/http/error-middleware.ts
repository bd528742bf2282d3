import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from '../core/log/logger.js';
import { AppError, errorBody } from '../core/errors/app-error.js';
import { toAppError } from './to-app-error.js';
import { sendJson } from './raw-json.js';

/**
 * The only error handler: every error leaves as `{error:{code,message}}`, never a stack trace or a
 * key. `shapeFor` lets a route family answer in another client's error shape (the gateway: OpenAI's).
 */
export function errorMiddleware(logger: Logger, shapeFor: (req: Request) => ((err: AppError) => unknown) | undefined = () => undefined): ErrorRequestHandler {
  return (err, req, res, _next) => sendError(res, err, { logger, reqId: req.id, shape: shapeFor(req) ?? errorBody });
}

/** An error as the response (Express's routes and the gateway's plain handler alike); an unexpected one is logged, redacted. */
export function sendError(res: ServerResponse, err: unknown, opts: { logger: Logger; reqId: unknown; shape: (err: AppError) => unknown }): void {
  if (res.headersSent) {
    // Too late for the error shape (a stream was under way): log it and cut the response.
    opts.logger.error({ err, req_id: opts.reqId }, 'error after the response started');
    res.destroy();
    return;
  }
  const appError = toAppError(err);
  if (appError.status >= 500 && appError.code === 'internal_error') opts.logger.error({ err, req_id: opts.reqId }, 'unhandled error');
  sendJson(res, appError.status, opts.shape(appError), appError.headers);
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError(404, 'not_found', `There is no ${req.method} ${req.path.slice(0, 200)}. The API is listed in the README.`));
};

/** Answers 405 with Allow for a path that exists but not with this method. */
export function methodNotAllowed(allowed: string[]): RequestHandler {
  return (req, res, next) => {
    res.set('Allow', allowed.join(', '));
    next(new AppError(405, 'method_not_allowed', `${req.method} is not supported here; use ${allowed.join(' or ')}.`));
  };
}
