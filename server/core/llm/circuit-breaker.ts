import type { Clock } from '../clock.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

export type Admission = { ok: true; probe: boolean } | { ok: false; retryInMs: number };

/**
 * Per-upstream breaker: opens after `threshold` consecutive failures, lets one probe through
 * after `cooldownMs`, closes on its success and re-opens on its failure.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private probing = false;

  constructor(private readonly opts: { clock: Clock; threshold?: number; cooldownMs?: number }) {}

  private get threshold(): number {
    return this.opts.threshold ?? 5;
  }

  private get cooldownMs(): number {
    return this.opts.cooldownMs ?? 60_000;
  }

  state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.opts.clock.now() - this.openedAt >= this.cooldownMs ? 'half_open' : 'open';
  }

  /** Whether a call may go out now; a refused one learns when the next probe is allowed. */
  admit(): Admission {
    const state = this.state();
    if (state === 'closed') return { ok: true, probe: false };
    if (state === 'half_open' && !this.probing) {
      this.probing = true;
      return { ok: true, probe: true };
    }
    const retryInMs = Math.max(0, this.openedAt! + this.cooldownMs - this.opts.clock.now());
    return { ok: false, retryInMs: state === 'half_open' ? 1000 : retryInMs };
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
    this.probing = false;
  }

  /** The probe ended without telling us about the upstream's health (cancelled): let another one try. */
  abandon(): void {
    this.probing = false;
  }

  failure(): void {
    this.failures++;
    if (this.probing || this.failures >= this.threshold) this.openedAt = this.opts.clock.now();
    this.probing = false;
  }
}
