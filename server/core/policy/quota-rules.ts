/** Pure quota decisions: cycles and requests per session, requests per hour per client IP. */

export interface QuotaLimits {
  cyclesPerSession: number;
  requestsPerSession: number;
  requestsPerHourPerIp: number;
}

export const IP_WINDOW_MS = 3600_000;

export interface SessionCounters {
  cycles_used: number;
  requests_used: number;
}

/** An hourly window that opens with a client's first counted request. */
export interface IpWindow {
  start: number;
  count: number;
}

export interface Ask {
  requests: number;
  cycles: number;
}

export type QuotaCode = 'session_cycle_limit' | 'session_request_limit' | 'hourly_limit';

export type QuotaDecision =
  | { ok: true; session: SessionCounters; ip: IpWindow }
  | { ok: false; code: QuotaCode; used: number; limit: number; retryAfterS?: number };

/** The window in force at `now`: the stored one, or a fresh one once it has run out. */
export function currentWindow(ip: IpWindow | undefined, now: number): IpWindow {
  return ip && now - ip.start < IP_WINDOW_MS ? ip : { start: now, count: 0 };
}

/**
 * Admits `ask` only if every counter stays within its limit, and returns the counters after it.
 * The caller stores them in the same synchronous step, so no second request can slip in between.
 */
export function decideQuota(session: SessionCounters, ip: IpWindow | undefined, ask: Ask, limits: QuotaLimits, now: number): QuotaDecision {
  const window = currentWindow(ip, now);
  if (ask.cycles > 0 && session.cycles_used + ask.cycles > limits.cyclesPerSession) {
    return { ok: false, code: 'session_cycle_limit', used: session.cycles_used, limit: limits.cyclesPerSession };
  }
  if (session.requests_used + ask.requests > limits.requestsPerSession) {
    return { ok: false, code: 'session_request_limit', used: session.requests_used, limit: limits.requestsPerSession };
  }
  if (window.count + ask.requests > limits.requestsPerHourPerIp) {
    const retryAfterS = Math.max(1, Math.ceil((window.start + IP_WINDOW_MS - now) / 1000));
    return { ok: false, code: 'hourly_limit', used: window.count, limit: limits.requestsPerHourPerIp, retryAfterS };
  }
  return {
    ok: true,
    session: { cycles_used: session.cycles_used + ask.cycles, requests_used: session.requests_used + ask.requests },
    ip: { start: window.start, count: window.count + ask.requests },
  };
}
