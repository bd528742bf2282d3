/**
 * An issued key's limits at run time: requests per minute and calls at once (in memory: a
 * restart forgives a minute), and daily and monthly USD, decided with the global cap in the
 * ledger's reservation step. Refusals are 429 with Retry-After (or 422 for a call larger than
 * the key's whole limit).
 */
import type { Clock } from '../clock.js';
import { BUSY_RETRY_S, NO_CLIENT_RETRY, type Ledger } from '../accounting/ledger.js';
import { nextUtcMonth, secondsToMidnight } from '../accounting/utc-day.js';
import { AppError } from '../errors/app-error.js';
import { admitRequest, decideKeySpend, type Bucket } from './key-limit-rules.js';

/** What a caller's key allows; an issued key's record has these fields. */
export interface KeyLimits {
  id: string;
  rpm: number;
  max_concurrent: number;
  daily_usd: number | null;
  monthly_usd: number | null;
}

export class KeyLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly opts: { clock: Clock; ledger: Ledger }) {}

  /** Counts one request against the key's rpm and holds one of its concurrent slots; call the release when done. */
  admit(key: Readonly<KeyLimits>): () => void {
    const now = this.opts.clock.now();
    const running = this.inFlight.get(key.id) ?? 0;
    if (running >= key.max_concurrent) {
      throw new AppError(429, 'too_many_concurrent_requests', `This key may have ${key.max_concurrent} requests in flight at once; wait for one to finish.`, {
        headers: { 'Retry-After': '1' },
      });
    }
    const decision = admitRequest(this.buckets.get(key.id), key.rpm, now);
    this.buckets.set(key.id, decision.bucket);
    if (!decision.ok) {
      const wait = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      throw new AppError(429, 'rate_limit_exceeded', `This key is limited to ${key.rpm} requests per minute. Try again in ${wait} s.`, {
        headers: { 'Retry-After': String(wait) },
      });
    }
    this.inFlight.set(key.id, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.inFlight.get(key.id) ?? 1) - 1;
      if (n <= 0) this.inFlight.delete(key.id);
      else this.inFlight.set(key.id, n);
    };
  }

  /** The ledger guard for this key's USD limits (runs inside the reservation step). */
  spendGuard(key: Readonly<KeyLimits>): ((worstUsd: number) => void) | undefined {
    if (key.daily_usd === null && key.monthly_usd === null) return undefined; // only the global cap applies
    return (worstUsd) => {
      const now = this.opts.clock.now();
      const decision = decideKeySpend(this.opts.ledger.keyTotals(key.id, now), worstUsd, key);
      if (decision.ok) return;
      if (decision.code === 'key_request_too_costly') {
        throw new AppError(
          422,
          decision.code,
          `This call could cost up to $${worstUsd.toFixed(4)}, more than this key's limit allows. Ask for fewer tokens (max_tokens).`,
          { headers: NO_CLIENT_RETRY },
        );
      }
      const daily = decision.code === 'key_daily_limit';
      const wait = decision.busy ? BUSY_RETRY_S : daily ? secondsToMidnight(now) : Math.max(1, Math.ceil((nextUtcMonth(now) - now) / 1000));
      const limit = daily ? `daily limit ($${key.daily_usd})` : `monthly limit ($${key.monthly_usd})`;
      const message = decision.busy
        ? `Calls in flight hold the rest of this key's ${limit}. Try again in ${BUSY_RETRY_S} s.`
        : `This key has used its ${limit}; it resets at the start of the next UTC ${daily ? 'day' : 'month'}.`;
      throw new AppError(429, decision.code, message, { headers: { 'Retry-After': String(wait), ...(decision.busy ? {} : NO_CLIENT_RETRY) } });
    };
  }
}
