import { describe, expect, it } from 'vitest';
import { quotaAddress } from '../../../../server/core/policy/client-address.js';

describe('the address a per-IP quota counts', () => {
  it('is the IPv4 address itself, also when it arrives IPv4-mapped', () => {
    expect(quotaAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(quotaAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('is the /64 for IPv6, so rotating addresses inside one allocation does not reset it', () => {
    const a = quotaAddress('2001:db8:1:2:aaaa::1');
    expect(a).toBe('2001:db8:1:2::/64');
    expect(quotaAddress('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(a);
    expect(quotaAddress('2001:db8:1:3::1')).not.toBe(a);
  });

  it('passes anything that is not an address through unchanged', () => {
    expect(quotaAddress('unknown')).toBe('unknown');
  });
});
