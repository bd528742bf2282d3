import { ZodError } from 'zod';
import { AppError } from '../core/errors/app-error.js';

/** body-parser's error types, mapped to the one error shape. */
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'The request body is not valid JSON. Check quotes, commas and brackets.'],
  'entity.too.large': [413, 'payload_too_large', 'The request body is too large.'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'Send the body uncompressed or gzip, deflate or br encoded.'],
  'charset.unsupported': [415, 'unsupported_charset', 'Send the body as UTF-8.'],
  'request.aborted': [400, 'request_aborted', 'The request was aborted before its body arrived.'],
};

/** zlib's and brotli's codes for a compressed body that does not inflate (truncated or corrupt). */
const BAD_COMPRESSED = /^(Z_DATA_ERROR|Z_BUF_ERROR|Z_NEED_DICT)$|^ERR__ERROR_FORMAT_/;

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    const issues = err.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0];
    return new AppError(422, 'invalid_request', first ? `${first.path || 'body'}: ${first.message}` : 'The request is invalid.', { details: { issues } });
  }
  const e = (err ?? {}) as { type?: unknown; code?: unknown; status?: unknown; expose?: unknown };
  // The router marks a path param it cannot percent-decode with status 400.
  if (err instanceof URIError && e.status === 400)
    return new AppError(400, 'invalid_path', 'The path has a malformed percent-encoding (a % not followed by two hex digits of valid UTF-8).');
  // body-parser passes the inflating stream's own error on; the gateway's reader answers the same (raw-json.ts).
  if (typeof e.code === 'string' && BAD_COMPRESSED.test(e.code))
    return new AppError(400, 'invalid_body', 'The body is not valid gzip, deflate or br data (truncated or corrupt).');
  const mapped = typeof e.type === 'string' ? BODY_ERRORS[e.type] : undefined;
  if (mapped) {
    const [status, code, message] = mapped;
    const limit = (err as { limit?: number }).limit;
    return new AppError(status, code, code === 'payload_too_large' && limit ? `${message} The limit is ${Math.round(limit / 1024)} KB.` : message);
  }
  // Any other client error a dependency marks as such (http-errors' expose): the caller's fault, not a 500.
  if (e.expose === true && typeof e.status === 'number' && e.status >= 400 && e.status < 500)
    return new AppError(e.status, 'bad_request', 'The request could not be read. Check its headers and body.');
  return new AppError(
    500,
    'internal_error',
    'Something went wrong on our side. Try again; if it keeps happening, report it with the X-Request-ID header of this response.',
    { cause: err },
  );
}
