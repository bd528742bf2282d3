// @ts-check
/**
 * The one way the page calls the server. Every /api call carries the session id (Space iframes
 * may block the cookie) and, when the visitor stored one, their own key. Errors always come back
 * as ApiError with the server's { error: { code, message } }.
 */
import { getKey } from './byok.js';
import { KEYS, read, write } from './storage.js';

const TIMEOUT_MS = 20_000;

export class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * @param {string} path below /api, e.g. "config"
 * @param {{ method?: string, body?: unknown, signal?: AbortSignal }} [opts]
 * @returns {Promise<any>}
 */
export async function api(path, opts = {}) {
  const headers = apiHeaders('application/json', opts.body !== undefined);
  const session = headers['X-Session-ID'] ?? null;

  // One deadline for the whole exchange, body included; a caller's own signal can end it sooner.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort('timeout'), TIMEOUT_MS);
  const forward = () => controller.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', forward, { once: true });
  try {
    return await exchange(path, opts, headers, session, controller.signal);
  } catch (err) {
    if (err instanceof ApiError || opts.signal?.aborted) throw err;
    if (controller.signal.aborted) throw new ApiError(0, 'timeout', 'The server took too long to answer. Try again in a moment.');
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', forward);
  }
}

/**
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} opts
 * @param {Record<string, string>} headers
 * @param {string | null} session
 * @param {AbortSignal} signal
 */
async function exchange(path, opts, headers, session, signal) {
  // Relative, so the page also works when served below a path prefix.
  const res = await fetch(`./api/${path.replace(/^\//, '')}`, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    credentials: 'same-origin',
    signal,
  });

  keepSession(res, session);

  // A body that is not JSON (a proxy's error page) still yields an ApiError below; an aborted one does not.
  const body = await res.json().catch((err) => {
    if (signal.aborted) throw err;
    return null;
  });
  if (!res.ok) throw apiError(res.status, body);
  return body;
}

/**
 * What every /api call carries: the session id and, when stored, the visitor's own key.
 * @param {string} accept
 * @param {boolean} json a JSON body goes with it
 * @returns {Record<string, string>}
 */
export function apiHeaders(accept, json) {
  /** @type {Record<string, string>} */
  const headers = { Accept: accept };
  const session = read(KEYS.session);
  if (session) headers['X-Session-ID'] = session;
  const key = getKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  if (json) headers['Content-Type'] = 'application/json';
  return headers;
}

/** @param {Response} res @param {string | null} sent the session id the request carried */
export function keepSession(res, sent) {
  const issued = res.headers.get('X-Session-ID');
  if (issued && issued !== sent) write(KEYS.session, issued);
}

/**
 * A refusal as an ApiError, from the server's { error: { code, message } } or, failing that, the status.
 * @param {number} status
 * @param {any} body
 */
export function apiError(status, body) {
  const error = body?.error;
  return new ApiError(
    status,
    typeof error?.code === 'string' ? error.code : `http_${status}`,
    typeof error?.message === 'string' ? error.message : `The server answered ${status}.`,
  );
}
