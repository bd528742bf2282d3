/**
 * An issued key's request limits at run time: requests per minute and calls at once (in memory:
 * a restart forgives a minute). Its daily and monthly USD are data on the call (key-limit-rules.ts),
 * decided with the global cap in the ledger's reservation step. Refusals are 429 with Retry-After.
 */
import type { Clock } from '../clock.js';
import { AppError } from '../errors/app-error.js';
import { admitRequest, type Bucket, type KeyLimits } from './key-limit-rules.js';

export type { KeyLimits } from './key-limit-rules.js';

export class KeyLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly opts: { clock: Clock }) {}

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
}
