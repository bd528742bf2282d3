import type { Clock } from '../../server/core/clock.js';

/** Fixed default start so timestamps in tests (and snapshots) are deterministic. */
export const FAKE_CLOCK_START = Date.parse('2026-01-15T12:00:00Z');

function toMs(at: number | string): number {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new Error(`FakeClock: invalid time ${String(at)}`);
  return ms;
}

/** A Clock that only moves when the test says so. */
export class FakeClock implements Clock {
  private current: number;

  constructor(start: number | string = FAKE_CLOCK_START) {
    this.current = toMs(start);
  }

  now(): number {
    return this.current;
  }

  /** Move forward by `ms` (negative values are rejected: time never runs backwards by accident). */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`FakeClock.advance: expected ms >= 0, got ${ms}`);
    this.current += ms;
    return this.current;
  }

  /** Jump to an absolute time (ms since epoch or ISO string); may go backwards, on purpose. */
  set(at: number | string): void {
    this.current = toMs(at);
  }
}
