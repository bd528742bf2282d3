import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { AppError } from '../errors/app-error.js';
import { quotaAddress } from './client-address.js';

/**
 * Refused keys and admin tokens per address (an IPv6 /64 counts as one), in a one-minute window
 * from the first refusal. Past the limit every try waits, a right key included, so a guesser
 * learns nothing; a program with a valid key never adds to the count.
 */
export class FailedAuthWindow {
  private readonly failures: LRUCache<string, number>;

  constructor(private readonly opts: { perMinute: number; clock: Clock }) {
    this.failures = new LRUCache({ max: 10_000, ttl: 60_000, perf: { now: () => opts.clock.now() }, ttlResolution: 0, ttlAutopurge: false });
  }

  /** Throws 429 with Retry-After while this address may not try (the address is asked for only when someone has failed). */
  check(ip: string | (() => string)): void {
    if (this.failures.size === 0) return; // the usual case: nobody guessing
    const address = quotaAddress(typeof ip === 'string' ? ip : ip());
    if ((this.failures.get(address) ?? 0) < this.opts.perMinute) return;
    const wait = Math.max(1, Math.ceil(this.failures.getRemainingTTL(address) / 1000));
    throw new AppError(
      429,
      'too_many_failed_authentications',
      `Too many requests with a wrong key from your address (${this.opts.perMinute} per minute). Wait ${wait} s and try again.`,
      { headers: { 'Retry-After': String(wait) } },
    );
  }

  failed(ip: string): void {
    const address = quotaAddress(ip);
    this.failures.set(address, (this.failures.get(address) ?? 0) + 1, { noUpdateTTL: true });
  }
}
