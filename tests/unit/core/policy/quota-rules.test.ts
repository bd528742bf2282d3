import { describe, expect, it } from 'vitest';
import { IP_WINDOW_MS, currentWindow, decideQuota, type QuotaLimits } from '../../../../server/core/policy/quota-rules.js';

const limits: QuotaLimits = { cyclesPerSession: 5, requestsPerSession: 10, requestsPerHourPerIp: 20 };
const T0 = Date.parse('2026-01-15T12:00:00Z');
const fresh = { cycles_used: 0, requests_used: 0 };

describe('quota rules', () => {
  it('admits within every limit and returns the counters after the request', () => {
    const d = decideQuota({ cycles_used: 1, requests_used: 3 }, { start: T0 - 1000, count: 7 }, { requests: 1, cycles: 2 }, limits, T0);
    expect(d).toEqual({ ok: true, session: { cycles_used: 3, requests_used: 4 }, ip: { start: T0 - 1000, count: 8 } });
  });

  it('refuses cycles past the session limit, and names used and limit', () => {
    const d = decideQuota({ cycles_used: 4, requests_used: 0 }, undefined, { requests: 1, cycles: 2 }, limits, T0);
    expect(d).toEqual({ ok: false, code: 'session_cycle_limit', used: 4, limit: 5 });
    expect(decideQuota({ cycles_used: 4, requests_used: 0 }, undefined, { requests: 1, cycles: 1 }, limits, T0).ok).toBe(true);
  });

  it('refuses the request after the last allowed one in a session', () => {
    expect(decideQuota({ cycles_used: 0, requests_used: 9 }, undefined, { requests: 1, cycles: 0 }, limits, T0).ok).toBe(true);
    expect(decideQuota({ cycles_used: 0, requests_used: 10 }, undefined, { requests: 1, cycles: 0 }, limits, T0)).toMatchObject({
      ok: false,
      code: 'session_request_limit',
    });
  });

  it('refuses past the hourly limit with Retry-After to the end of the window', () => {
    const d = decideQuota(fresh, { start: T0 - 15 * 60_000, count: 20 }, { requests: 1, cycles: 0 }, limits, T0);
    expect(d).toEqual({ ok: false, code: 'hourly_limit', used: 20, limit: 20, retryAfterS: 45 * 60 });
  });

  it('opens a new window once the hour has passed', () => {
    const old = { start: T0 - IP_WINDOW_MS, count: 20 };
    expect(currentWindow(old, T0)).toEqual({ start: T0, count: 0 });
    expect(decideQuota(fresh, old, { requests: 1, cycles: 0 }, limits, T0)).toMatchObject({ ok: true, ip: { start: T0, count: 1 } });
    expect(currentWindow(old, T0 - 1)).toBe(old);
  });

  it('checks the session before the address, so the message names the tighter, personal limit first', () => {
    const d = decideQuota({ cycles_used: 0, requests_used: 10 }, { start: T0, count: 20 }, { requests: 1, cycles: 0 }, limits, T0);
    expect(d).toMatchObject({ code: 'session_request_limit' });
  });
});
