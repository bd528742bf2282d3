import { AppError } from '../errors/app-error.js';
import { scrubString } from '../log/redact.js';
import { isRetryableStatus } from './retry-policy.js';

export type UpstreamCode =
  | 'upstream_timeout'
  | 'upstream_rate_limited'
  | 'upstream_auth_failed'
  | 'insufficient_credits'
  | 'model_not_found'
  | 'context_length_exceeded'
  | 'content_refused'
  | 'upstream_bad_request'
  | 'upstream_unavailable'
  | 'upstream_unreachable'
  | 'upstream_bad_response'
  | 'cancelled';

/**
 * Whether the provider may have billed the failed call: "none" when it refused the request or was
 * never reached; "unknown" when the generation may have run (a deadline, a cancel, a cut stream,
 * an unusable answer). The cost rules charge an unknown outcome its worst case.
 */
export type Billing = 'none' | 'unknown';

/** Every upstream failure, with a code, a status for our API and advice; `retryable` drives the retry loop. */
export class UpstreamError extends AppError {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly upstreamStatus: number | undefined;
  readonly billing: Billing;

  constructor(
    status: number,
    code: UpstreamCode,
    message: string,
    opts: { retryable?: boolean; retryAfterMs?: number; upstreamStatus?: number; billing?: Billing; cause?: unknown } = {},
  ) {
    const headers: Record<string, string> = opts.retryAfterMs !== undefined ? { 'Retry-After': String(Math.max(1, Math.ceil(opts.retryAfterMs / 1000))) } : {};
    super(status, code, message, { headers, cause: opts.cause });
    this.name = 'UpstreamError';
    this.retryable = opts.retryable ?? false;
    this.retryAfterMs = opts.retryAfterMs;
    this.upstreamStatus = opts.upstreamStatus;
    this.billing = opts.billing ?? 'none';
  }
}

/** The provider's own timeouts may come after the generation ran. */
const MAYBE_BILLED_STATUS = new Set([408, 504]);

/** Failures before a request could reach the provider: nothing can have been billed. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

/** A cancel by the visitor or the server: the provider may still bill the generation. */
export function cancelledError(): UpstreamError {
  return new UpstreamError(499, 'cancelled', 'The call was cancelled.', { billing: 'unknown' });
}

/** The provider's own words, scrubbed of anything key-shaped and cut short. */
function detail(body: unknown): string {
  const err = (body as { error?: { message?: unknown; metadata?: { raw?: unknown } } } | undefined)?.error;
  const raw = typeof err?.message === 'string' ? err.message : typeof body === 'string' ? body : '';
  const text = scrubString(raw).replace(/\s+/g, ' ').trim().slice(0, 300);
  return text ? ` The provider said: "${text}"` : '';
}

const CONTEXT = /context length|context window|maximum context|too many tokens|prompt is too long|reduce the length/i;

/**
 * Maps an HTTP status and body from any OpenAI-compatible provider (OpenRouter's
 * `{error:{code,message,metadata}}` included) to one typed error with advice.
 */
export function fromUpstreamStatus(status: number, body: unknown, retryAfterMs?: number): UpstreamError {
  const said = detail(body);
  // One rule for what is worth retrying (retry-policy.ts); the codes below only add advice.
  const o = { upstreamStatus: status, retryable: isRetryableStatus(status), billing: (MAYBE_BILLED_STATUS.has(status) ? 'unknown' : 'none') as Billing };
  if ((status === 400 || status === 413) && CONTEXT.test(JSON.stringify(body ?? ''))) {
    return new UpstreamError(
      400,
      'context_length_exceeded',
      `The prompt is longer than the model's context window. Shorten it or pick a model with a longer context.${said}`,
      o,
    );
  }
  switch (status) {
    case 401:
      return new UpstreamError(
        401,
        'upstream_auth_failed',
        `The provider rejected the API key. Check the key (Settings, or the endpoint's key) and try again.${said}`,
        o,
      );
    case 402:
      return new UpstreamError(
        402,
        'insufficient_credits',
        `The provider account has no credits left for this request. Add credits, lower max tokens, or pick a free model.${said}`,
        o,
      );
    case 403:
      return new UpstreamError(
        403,
        'content_refused',
        `The provider refused this request (moderation or permissions). Rephrase it or pick another model.${said}`,
        o,
      );
    case 404:
      return new UpstreamError(
        404,
        'model_not_found',
        `The provider does not know this model, or it is not available to this key. Pick another model.${said}`,
        o,
      );
    case 408:
      return new UpstreamError(504, 'upstream_timeout', `The provider timed out. Try again, or pick a faster model.${said}`, o);
    case 429:
      return new UpstreamError(429, 'upstream_rate_limited', `The provider is rate-limiting requests. Wait a moment and try again.${said}`, {
        ...o,
        retryAfterMs: retryAfterMs ?? 5000,
      });
  }
  if (status === 409 || status >= 500) {
    return new UpstreamError(502, 'upstream_unavailable', `The provider had an error (HTTP ${status}). Try again in a moment, or pick another model.${said}`, {
      ...o,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  return new UpstreamError(400, 'upstream_bad_request', `The provider rejected the request (HTTP ${status}).${said}`, o);
}

/** OpenRouter sends some failures inside a 200 stream: `{error:{code,message}}` in a data chunk. */
export function fromStreamError(error: { code?: unknown; message?: unknown }): UpstreamError {
  const status = typeof error.code === 'number' ? error.code : Number(error.code);
  const err = fromUpstreamStatus(Number.isInteger(status) && status >= 400 ? status : 502, { error });
  // The generation had started when the error arrived.
  return new UpstreamError(err.status, err.code as UpstreamCode, err.message, {
    retryable: err.retryable,
    upstreamStatus: err.upstreamStatus,
    billing: 'unknown',
  });
}

export function timeoutError(ms: number): UpstreamError {
  return new UpstreamError(
    504,
    'upstream_timeout',
    `The model did not finish within ${Math.round(ms / 1000)} s. Try again, ask for a shorter answer, or pick a faster model.`,
    { retryable: true, billing: 'unknown' },
  );
}

export function unreachableError(cause: unknown): UpstreamError {
  const code = (cause as { code?: string; cause?: { code?: string } })?.cause?.code ?? (cause as { code?: string })?.code ?? 'network error';
  return new UpstreamError(502, 'upstream_unreachable', `Could not reach the provider (${code}). Check the base URL and your network, then try again.`, {
    retryable: true,
    cause,
    billing: NOT_SENT.has(code) ? 'none' : 'unknown',
  });
}

export function badResponseError(what: string): UpstreamError {
  return new UpstreamError(502, 'upstream_bad_response', `The provider sent a response Labcoat could not use (${what}). Try again or pick another model.`, {
    billing: 'unknown',
  });
}

/** A redirect is never followed (it could point anywhere, and the key would go with it); the base URL should be the final one. */
export function redirectError(status: number, location: string | undefined): UpstreamError {
  const to = location ? ` to ${location.slice(0, 200)}` : '';
  return new UpstreamError(
    502,
    'upstream_bad_response',
    `The endpoint answered with a redirect (HTTP ${status})${to}; Labcoat does not follow redirects. Use the final URL as the base URL.`,
  );
}

export function breakerOpenError(retryInMs: number): UpstreamError {
  return new UpstreamError(
    503,
    'upstream_unavailable',
    `This model's provider failed repeatedly, so Labcoat paused calls to it. The next try is in ${Math.ceil(retryInMs / 1000)} s; or pick another model.`,
    { retryAfterMs: retryInMs },
  );
}
