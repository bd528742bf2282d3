import { describe, expect, it } from 'vitest';
import { FailedAuthWindow } from '../../../../server/core/policy/failed-auth-window.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

describe('failed authentication window', () => {
  it('lets an address fail 30 times a minute, then refuses it with Retry-After until the minute from its first failure is over', () => {
    const clock = new FakeClock();
    const window = new FailedAuthWindow({ perMinute: 30, clock });
    for (let i = 0; i < 30; i++) {
      window.check('203.0.113.7');
      window.failed('203.0.113.7');
      clock.advance(1000);
    }
    expect(() => window.check('203.0.113.7')).toThrow(
      expect.objectContaining({ status: 429, code: 'too_many_failed_authentications', headers: { 'Retry-After': '30' } }),
    );
    expect(() => window.check('203.0.113.8')).not.toThrow(); // another address
    clock.advance(30_001);
    expect(() => window.check('203.0.113.7')).not.toThrow();
  });

  it('counts an IPv6 /64 as one address, so rotating inside it does not reset the count', () => {
    const window = new FailedAuthWindow({ perMinute: 2, clock: new FakeClock() });
    window.failed('2001:db8:1:2::1');
    window.failed('2001:db8:1:2:ffff::9');
    expect(() => window.check('2001:db8:1:2::abcd')).toThrow(expect.objectContaining({ status: 429 }));
    expect(() => window.check('2001:db8:1:3::1')).not.toThrow();
    expect(() => window.check(() => '2001:db8:1:2::5')).toThrow(expect.objectContaining({ status: 429 }));
  });
});
