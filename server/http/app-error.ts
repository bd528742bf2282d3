import { ZodError } from 'zod';

/** The one error class that carries an HTTP status and a stable snake_case code to the client. */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    opts: { headers?: Record<string, string>; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.headers = opts.headers ?? {};
    this.details = opts.details;
  }
}

/** The JSON body every error response has. */
export interface ErrorBody {
  error: { code: string; message: string } & Record<string, unknown>;
}

export function errorBody(err: AppError): ErrorBody {
  return { error: { code: err.code, message: err.message, ...(err.details ?? {}) } };
}

/** While the server drains: new work is refused with a short wait. */
export function shuttingDownError(): AppError {
  return new AppError(503, 'shutting_down', 'The server is restarting. Try again in a minute.', { headers: { 'Retry-After': '30' } });
}

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
