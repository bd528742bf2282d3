import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../../server/core/llm/circuit-breaker.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

describe('circuit breaker', () => {
  it('opens after 5 consecutive failures and fails fast with the time to the next probe', () => {
    const clock = new FakeClock();
    const b = new CircuitBreaker({ clock });
    for (let i = 0; i < 4; i++) b.failure();
    expect(b.state()).toBe('closed');
    b.failure();
    expect(b.state()).toBe('open');
    clock.advance(15_000);
    expect(b.admit()).toEqual({ ok: false, retryInMs: 45_000 });
  });

  it('a success resets the count of consecutive failures', () => {
    const b = new CircuitBreaker({ clock: new FakeClock() });
    for (let i = 0; i < 4; i++) b.failure();
    b.success();
    for (let i = 0; i < 4; i++) b.failure();
    expect(b.state()).toBe('closed');
  });

  it('half-opens after 60 s with exactly one probe; closes on its success', () => {
    const clock = new FakeClock();
    const b = new CircuitBreaker({ clock });
    for (let i = 0; i < 5; i++) b.failure();
    clock.advance(60_000);
    expect(b.state()).toBe('half_open');
    expect(b.admit()).toEqual({ ok: true, probe: true });
    expect(b.admit().ok).toBe(false);
    b.success();
    expect(b.state()).toBe('closed');
    expect(b.admit()).toEqual({ ok: true, probe: false });
  });

  it('re-opens for another cooldown when the probe fails', () => {
    const clock = new FakeClock();
    const b = new CircuitBreaker({ clock });
    for (let i = 0; i < 5; i++) b.failure();
    clock.advance(60_000);
    b.admit();
    b.failure();
    expect(b.state()).toBe('open');
    expect(b.admit()).toEqual({ ok: false, retryInMs: 60_000 });
  });
});
