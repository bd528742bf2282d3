/**
 * The one error class and the one error shape, below every layer: engines, the ledger and the
 * queue throw it; the HTTP layer maps anything else onto it (http/to-app-error.ts) and sends it.
 */
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
