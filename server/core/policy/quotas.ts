import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';
import { AppError } from '../errors/app-error.js';
import { addressKey } from './client-address.js';
import { IP_WINDOW_MS, currentWindow, decideQuota, type Ask, type IpWindow, type QuotaCode, type QuotaLimits } from './quota-rules.js';
import { ownEntry } from '../store/own-entry.js';
import type { SessionsSlice } from './session-record.js';

export interface QuotasOptions {
  store: Store<{ ip_windows: Record<string, IpWindow> } & SessionsSlice>;
  clock: Clock;
  limits: QuotaLimits;
  /** Keys the hash under which client IPs are counted: the state file never holds an address. */
  ipHashKey: Buffer;
  /** How to get out of a refusal (bring your own key, duplicate the Space), appended to messages. */
  wayOut: string;
}

/** What was counted for one request; refund() gives back what was not used (e.g. the queue was full). */
export interface Admission {
  refund(part?: Partial<Ask>): void;
}

/** Runs fn; if it throws, gives back what `admission` counted (the request did not happen). */
export function refundIfThrows<T>(admission: Admission, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    admission.refund();
    throw err;
  }
}

export interface QuotaView {
  session: { cycles_used: number; cycles_limit: number; requests_used: number; requests_limit: number; spent_usd: number };
  ip: { requests_this_hour: number; requests_per_hour: number; resets_at: string | null };
}

/** Per-session and per-IP quotas on the server key, checked and counted in one synchronous step. */
export class Quotas {
  constructor(private readonly opts: QuotasOptions) {}

  /** Counts `ask` for this session and address, or throws 429 with the code and the way out. */
  admit(sessionId: string, ip: string, ask: Ask): Admission {
    const { store, clock, limits } = this.opts;
    const now = clock.now();
    const ipKey = this.ipKey(ip);
    const session = store.data.sessions[sessionId];
    const decision = decideQuota(
      { cycles_used: session?.cycles_used ?? 0, requests_used: session?.requests_used ?? 0 },
      store.data.ip_windows[ipKey],
      ask,
      limits,
      now,
    );
    if (!decision.ok) throw this.refusal(decision.code, decision.limit, decision.retryAfterS);
    store.update((s) => {
      const record = (s.sessions[sessionId] ??= { created_at: now, last_seen_at: now });
      record.cycles_used = decision.session.cycles_used;
      record.requests_used = decision.session.requests_used;
      s.ip_windows[ipKey] = decision.ip;
    });
    let refunded = false;
    return {
      refund: (part = ask) => {
        if (refunded) return;
        refunded = true;
        store.update((s) => {
          const record = s.sessions[sessionId];
          if (record) {
            record.cycles_used = Math.max(0, (record.cycles_used ?? 0) - (part.cycles ?? 0));
            record.requests_used = Math.max(0, (record.requests_used ?? 0) - (part.requests ?? 0));
          }
          const window = s.ip_windows[ipKey];
          if (window && window.start === decision.ip.start) window.count = Math.max(0, window.count - (part.requests ?? 0));
        });
      },
    };
  }

  /** Gives a session back cycles it was counted for but never ran (a cancelled or refused run). */
  refundCycles(sessionId: string, cycles: number): void {
    if (cycles <= 0) return;
    this.opts.store.update((s) => {
      const record = ownEntry(s.sessions, sessionId);
      if (record) record.cycles_used = Math.max(0, (record.cycles_used ?? 0) - cycles);
    });
  }

  view(sessionId: string, ip: string): QuotaView {
    const { store, clock, limits } = this.opts;
    const session = store.data.sessions[sessionId];
    const stored = store.data.ip_windows[this.ipKey(ip)];
    const window = currentWindow(stored, clock.now());
    return {
      session: {
        cycles_used: session?.cycles_used ?? 0,
        cycles_limit: limits.cyclesPerSession,
        requests_used: session?.requests_used ?? 0,
        requests_limit: limits.requestsPerSession,
        spent_usd: session?.spent_usd ?? 0,
      },
      ip: {
        requests_this_hour: window.count,
        requests_per_hour: limits.requestsPerHourPerIp,
        resets_at: window.count > 0 ? new Date(window.start + IP_WINDOW_MS).toISOString() : null,
      },
    };
  }

  /** Forgets hourly windows that have run out. */
  prune(): void {
    const now = this.opts.clock.now();
    const stale = Object.entries(this.opts.store.data.ip_windows).filter(([, w]) => now - w.start >= IP_WINDOW_MS);
    if (stale.length === 0) return;
    this.opts.store.update((s) => {
      for (const [k] of stale) delete s.ip_windows[k];
    });
  }

  private ipKey(ip: string): string {
    return addressKey(this.opts.ipHashKey, ip);
  }

  private refusal(code: QuotaCode, limit: number, retryAfterS: number | undefined): AppError {
    const { wayOut } = this.opts;
    const headers = retryAfterS ? { 'Retry-After': String(retryAfterS) } : undefined;
    const text: Record<QuotaCode, string> = {
      session_cycle_limit: `This session has used its ${limit} research cycles on the Space's key.`,
      session_request_limit: `This session has used its ${limit} model requests on the Space's key.`,
      hourly_limit: `Your address has made ${limit} model requests on the Space's key this hour. Try again in ${Math.ceil((retryAfterS ?? 60) / 60)} min.`,
    };
    return new AppError(429, code, `${text[code]}${wayOut}`, headers ? { headers } : {});
  }
}
