import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../log/logger.js';
import { AppError, errorBody } from './app-error.js';

/** body-parser's error types, mapped to the one error shape. */
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'The request body is not valid JSON. Check quotes, commas and brackets.'],
  'entity.too.large': [413, 'payload_too_large', 'The request body is too large.'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'Send the body uncompressed or gzip/deflate encoded.'],
  'charset.unsupported': [415, 'unsupported_charset', 'Send the body as UTF-8.'],
  'request.aborted': [400, 'request_aborted', 'The request was aborted before its body arrived.'],
};

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    const issues = err.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0];
    return new AppError(422, 'invalid_request', first ? `${first.path || 'body'}: ${first.message}` : 'The request is invalid.', { details: { issues } });
  }
  const type = (err as { type?: unknown }).type;
  const mapped = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
  if (mapped) {
    const [status, code, message] = mapped;
    const limit = (err as { limit?: number }).limit;
    return new AppError(status, code, code === 'payload_too_large' && limit ? `${message} The limit is ${Math.round(limit / 1024)} KB.` : message);
  }
  return new AppError(500, 'internal_error', 'Something went wrong on our side. Try again; if it keeps happening, report it with the X-Request-ID header of this response.', { cause: err });
}

/**
 * The only error handler: every error leaves as `{error:{code,message}}`, never a stack trace or a
 * key. `shapeFor` lets a route family answer in another client's error shape (the gateway: OpenAI's).
 */
export function errorMiddleware(logger: Logger, shapeFor: (req: Request) => ((err: AppError) => unknown) | undefined = () => undefined): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      // Too late for the error shape (a stream was under way): log it redacted and cut the response.
      logger.error({ err, req_id: req.id }, 'error after the response started');
      res.destroy();
      return;
    }
    const appError = toAppError(err);
    if (appError.status >= 500 && appError.code === 'internal_error') logger.error({ err, req_id: req.id }, 'unhandled error');
    const shape = shapeFor(req) ?? errorBody;
    res.status(appError.status).set(appError.headers).json(shape(appError));
  };
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
