// @ts-check
/**
 * The owner's admin API (./admin/api/…, outside /api): the admin token as a Bearer header, JSON
 * in and out, and errors as ApiError from the server's { error: { code, message } }. Loaded only
 * with the Admin tab, or when Settings checks a token.
 */
import { ApiError, apiError } from '../lib/api.js';

const TIMEOUT_MS = 20_000;

/**
 * The admin token lives in sessionStorage, so closing the browser tab forgets it; shell/app.js reads the
 * same entry at start-up to know whether to show the Admin tab.
 */
const TOKEN_ENTRY = 'labcoat.admin';
let blocked = /** @type {string | null} */ (null); // where it stays when sessionStorage is blocked

/** @returns {string | null} */
export function getAdminToken() {
  try {
    return sessionStorage.getItem(TOKEN_ENTRY);
  } catch {
    return blocked;
  }
}

/** @param {string | null} token null forgets it */
export function setAdminToken(token) {
  blocked = token;
  try {
    if (token) sessionStorage.setItem(TOKEN_ENTRY, token);
    else sessionStorage.removeItem(TOKEN_ENTRY);
  } catch {
    // blocked: kept above, for this page view
  }
}

/**
 * @typedef {object} IssuedKey
 * @property {string} id
 * @property {string} name
 * @property {string} prefix "lc_" and 8 characters: enough to recognise a key, never to use it
 * @property {string[] | null} models null: every whitelisted model
 * @property {number} rpm
 * @property {number} max_concurrent
 * @property {number | null} daily_usd
 * @property {number | null} monthly_usd
 * @property {string | null} expires_at
 * @property {boolean} enabled
 * @property {string} created_at
 * @property {string | null} revoked_at
 * @property {string | null} last_used_at
 * @property {'active' | 'disabled' | 'expired' | 'revoked'} state
 */
/** @typedef {{ requests: number, tokens_in: number, tokens_out: number, usd: number, errors: number }} UsageTotals */
/** @typedef {UsageTotals & { day: string, key_id: string, key_name: string | null, key_prefix: string | null, model: string }} UsageRow */
/** @typedef {{ from: string | null, to: string | null, rows: UsageRow[], totals: UsageTotals }} UsageReport */

/**
 * @param {string} path below /admin/api, e.g. "keys" or "usage?format=csv"
 * @param {{ method?: string, body?: unknown, signal?: AbortSignal, token?: string }} [opts] token: another than the stored one (Settings checks a new one)
 * @returns {Promise<Response>} an ok response; anything else throws ApiError
 */
export async function adminFetch(path, opts = {}) {
  /** @type {Record<string, string>} */
  const headers = { Authorization: `Bearer ${opts.token ?? getAdminToken() ?? ''}` };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  const deadline = AbortSignal.timeout(TIMEOUT_MS);
  let res;
  try {
    res = await fetch(`./admin/api/${path}`, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: 'omit',
      signal: opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline,
    });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw deadline.aborted
      ? new ApiError(0, 'timeout', 'The server took too long to answer. Try again in a moment.')
      : new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  if (res.status === 401) throw new ApiError(401, 'admin_token_required', 'The server refused the admin token. Check it in Settings.');
  if (!res.ok) throw apiError(res.status, await res.json().catch(() => null));
  return res;
}

/**
 * @param {string} path
 * @param {Parameters<typeof adminFetch>[1]} [opts]
 * @returns {Promise<any>} the JSON answer
 */
export async function adminApi(path, opts) {
  return (await adminFetch(path, opts)).json();
}

/**
 * Whether the server takes this token: true, false (401), or null when it could not be asked.
 * @param {string} token
 * @returns {Promise<boolean | null>}
 */
export async function checkAdminToken(token) {
  try {
    await adminFetch('keys', { token });
    return true;
  } catch (err) {
    return err instanceof ApiError && err.status === 401 ? false : null;
  }
}

/** @param {unknown} err @returns {boolean} the admin token was refused */
export const tokenRefused = (err) => err instanceof ApiError && err.status === 401;
