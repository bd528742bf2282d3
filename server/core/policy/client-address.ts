import { createHmac } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/**
 * The unit per-address quotas count: an IPv4 address, or an IPv6 /64 (one subscriber's
 * allocation, so rotating addresses inside it does not reset the quota).
 */
export function quotaAddress(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const addr = ipaddr.process(ip); // IPv4-mapped IPv6 becomes plain IPv4
  if (addr.kind() === 'ipv4') return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}

/** A client's counting unit as stored: a keyed hash, so the state file never holds an address. */
export function addressKey(hashKey: Buffer, ip: string, prefix = ''): string {
  return createHmac('sha256', hashKey)
    .update(`${prefix}${quotaAddress(ip)}`)
    .digest('base64url')
    .slice(0, 22);
}
