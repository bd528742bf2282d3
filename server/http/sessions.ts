import type { RequestHandler } from 'express';
import type { Clock } from '../core/clock.js';
import type { Store } from '../core/store/store.js';
import { issueSessionToken, verifySessionToken } from '../core/secrets/session-token.js';
import type { SessionsSlice } from '../core/policy/session-record.js';

export const SESSION_COOKIE = 'lc_session';
export const SESSION_HEADER = 'x-session-id';

declare module 'express-serve-static-core' {
  interface Request {
    /** The server-signed session id (never the raw token). */
    sessionId: string;
  }
}

export interface SessionOptions {
  signingKey: Buffer;
  /** Cookies must cross the huggingface.co iframe when served as a Space. */
  crossSite: boolean;
  timeoutMs: number;
  store: Store<SessionsSlice>;
  clock: Clock;
}

/**
 * Every API caller gets a server-signed session: from X-Session-ID (API clients, and pages in
 * iframes that block third-party cookies) or the HttpOnly cookie, else a new one. A session idle
 * longer than the timeout is replaced, which also resets its quota counters.
 */
export function sessions(opts: SessionOptions): RequestHandler {
  const attrs = opts.crossSite ? 'SameSite=None; Secure; Partitioned' : 'SameSite=Lax';
  return (req, res, next) => {
    const now = opts.clock.now();
    const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
    let token: string | undefined;
    let id: string | undefined;
    for (const candidate of [req.get(SESSION_HEADER), cookie]) {
      const verified = verifySessionToken(candidate, opts.signingKey);
      const record = verified ? opts.store.data.sessions[verified] : undefined;
      if (verified && record && now - record.last_seen_at < opts.timeoutMs) {
        [token, id] = [candidate, verified];
        break;
      }
    }
    if (!token || !id) ({ id, token } = issueSessionToken(opts.signingKey));
    const sessionId = id;
    const created = opts.store.update((s) => {
      const isNew = !Object.hasOwn(s.sessions, sessionId);
      const record = (s.sessions[sessionId] ??= { created_at: now, last_seen_at: now });
      record.last_seen_at = now;
      return isNew;
    });
    // A new session is journaled: runs and endpoints it creates next must still be its own after a crash.
    if (created) void opts.store.persist([['sessions', sessionId]]);
    // No Max-Age: the server's idle timeout decides when a session ends, not a cookie that
    // would expire in the middle of an active visit.
    if (cookie !== token) res.append('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; ${attrs}`);
    res.set('X-Session-ID', token);
    req.sessionId = sessionId;
    next();
  };
}

/** Forgets sessions idle past the timeout; returns how many. */
export function pruneSessions(store: Store<SessionsSlice>, now: number, timeoutMs: number): number {
  const expired = Object.entries(store.data.sessions).filter(([, s]) => now - s.last_seen_at >= timeoutMs);
  if (expired.length === 0) return 0;
  store.update((s) => {
    for (const [id] of expired) delete s.sessions[id];
  });
  return expired.length;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
