import { describe, expect, it } from 'vitest';
import { addressProblem, checkEndpointUrl, resolveChecked, type ResolvedAddress } from '../../../../server/core/policy/ssrf-rules.js';

/** A fake resolver: these tests never touch DNS or open a connection. */
const DNS: Record<string, ResolvedAddress[]> = {
  'api.openai.com': [{ address: '104.18.6.192', family: 4 }],
  'openrouter.ai': [
    { address: '104.18.2.115', family: 4 },
    { address: '2606:4700::6812:273', family: 6 },
  ],
  'v6only.example': [{ address: '2606:4700::1111', family: 6 }],
  'rebind.example': [
    { address: '93.184.216.34', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ],
  'intranet.example': [{ address: '10.1.2.3', family: 4 }],
  'metadata.example': [{ address: '169.254.169.254', family: 4 }],
  'mapped.example': [{ address: '::ffff:192.168.0.1', family: 6 }],
  'cgnat.example': [{ address: '100.72.0.9', family: 4 }],
  'ula.example': [{ address: 'fd00::53', family: 6 }],
  'compat.example': [{ address: '::7f00:1', family: 6 }],
  'nx.example': [],
};

/** The whole decision for one URL, as the batch engine will make it. */
function decide(raw: string, allowPrivate = false) {
  const first = checkEndpointUrl(raw, { allowPrivate });
  if (first.ok !== 'needs_dns') return first;
  return resolveChecked(first, DNS[first.host] ?? [], { allowPrivate });
}

// [url, expected code ('ok' or a refusal code), what it shows]
const TABLE: Array<[string, string, string]> = [
  ['http://127.0.0.1:11434/v1', 'private_address', 'loopback'],
  ['http://localhost:11434/v1', 'private_address', 'a local name'],
  ['http://LOCALHOST/', 'private_address', 'local name in capitals'],
  ['http://ollama.localhost/v1', 'private_address', 'a .localhost subdomain'],
  ['http://0x7f.1/', 'private_address', 'hex short IPv4'],
  ['http://2130706433/', 'private_address', 'decimal IPv4'],
  ['http://0177.0.0.1/', 'private_address', 'octal IPv4'],
  ['http://127.1/', 'private_address', 'short IPv4'],
  ['http://0x7f000001/', 'private_address', 'hex IPv4'],
  ['http://0/', 'private_address', 'unspecified, shortest form'],
  ['http://0.0.0.0:8000/v1', 'private_address', 'unspecified'],
  ['http://[::]/', 'private_address', 'IPv6 unspecified'],
  ['http://[::1]:8000/', 'private_address', 'IPv6 loopback'],
  ['http://[::ffff:127.0.0.1]/', 'private_address', 'IPv4-mapped loopback'],
  ['http://[::ffff:a00:1]/', 'private_address', 'IPv4-mapped private, hex form'],
  ['http://10.0.0.5/v1', 'private_address', '10/8'],
  ['http://172.16.3.4/v1', 'private_address', '172.16/12'],
  ['http://192.168.1.10:1234/v1', 'private_address', '192.168/16'],
  ['http://169.254.169.254/latest/meta-data/', 'private_address', 'link-local (cloud metadata)'],
  ['http://100.64.1.1/', 'private_address', 'CGNAT'],
  ['http://224.0.0.1/', 'private_address', 'multicast'],
  ['http://255.255.255.255/', 'private_address', 'broadcast'],
  ['http://192.0.2.10/', 'private_address', 'documentation (reserved)'],
  ['http://198.18.0.5/', 'private_address', 'benchmarking (reserved)'],
  ['http://240.0.0.1/', 'private_address', 'class E (reserved)'],
  ['http://[fe80::1]/', 'private_address', 'IPv6 link-local'],
  ['http://[fd12:3456::1]/', 'private_address', 'IPv6 unique local'],
  ['http://[ff02::1]/', 'private_address', 'IPv6 multicast'],
  ['http://[2001:db8::1]/', 'private_address', 'IPv6 documentation'],
  ['http://[4000::1]/', 'private_address', 'IPv6 outside global unicast 2000::/3'],
  ['http://[64:ff9b::7f00:1]/', 'private_address', 'NAT64 wrapping loopback'],
  ['http://[2002:7f00:1::]/', 'private_address', '6to4 wrapping loopback'],
  ['http://[2001::1]/', 'private_address', 'Teredo'],
  ['http://printer.local/', 'private_address', 'mDNS name'],
  ['http://metadata.internal/', 'private_address', '.internal name'],
  ['http://router.home.arpa/', 'private_address', 'home.arpa name'],
  ['https://rebind.example/v1', 'private_address', 'a name with one private address among public ones'],
  ['https://intranet.example/v1', 'private_address', 'a name resolving to 10/8'],
  ['https://metadata.example/', 'private_address', 'a name resolving to link-local'],
  ['https://mapped.example/', 'private_address', 'a name resolving to IPv4-mapped private'],
  ['https://cgnat.example/', 'private_address', 'a name resolving to CGNAT'],
  ['https://ula.example/', 'private_address', 'a name resolving to IPv6 unique local'],
  ['https://compat.example/', 'private_address', 'a name resolving to IPv4-compatible loopback'],
  ['https://nx.example/v1', 'unresolvable_host', 'a name that does not resolve'],
  ['ftp://example.com/v1', 'scheme_not_allowed', 'ftp'],
  ['file:///etc/passwd', 'scheme_not_allowed', 'file'],
  ['gopher://example.com/', 'scheme_not_allowed', 'gopher'],
  ['javascript:alert(1)', 'scheme_not_allowed', 'javascript'],
  ['data:text/plain,hi', 'scheme_not_allowed', 'data'],
  ['https://user:pass@api.example.com/v1', 'credentials_in_url', 'credentials in the URL'],
  ['https://api.example.com/v1?api_key=secret', 'query_in_url', 'a token in the query'],
  ['https://api.example.com/v1#frag', 'query_in_url', 'a fragment'],
  ['not a url', 'invalid_url', 'not a URL'],
  ['https://8.8.8.8/v1', 'ok', 'public IPv4 literal'],
  ['https://[2606:4700::1111]/v1', 'ok', 'public IPv6 literal'],
  ['https://1.1.1.1./v1', 'ok', 'trailing dot'],
  ['https://api.openai.com/v1', 'ok', 'a public name'],
  ['https://openrouter.ai/api/v1', 'ok', 'a public name with IPv4 and IPv6'],
  ['https://v6only.example/v1', 'ok', 'a public IPv6-only name'],
];

/** An IPv4 address as two IPv6 groups, optionally inverted (Teredo's client field). */
const hex = (ip: string, invert = false) => {
  const [a = 0, b = 0, c = 0, d = 0] = ip.split('.').map((o) => Number(o) ^ (invert ? 0xff : 0));
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
};

// Every IPv6 form that embeds an IPv4 address: [form, URL for an address, what a public address inside gets]
const EMBEDDINGS: Array<[string, (ip: string) => string, string]> = [
  ['IPv4-compatible', (ip) => `http://[::${ip}]/`, 'private_address'], // deprecated: refused whatever it holds
  ['IPv4-compatible, hex', (ip) => `http://[::${hex(ip)}]/`, 'private_address'],
  ['IPv4-mapped', (ip) => `http://[::ffff:${ip}]/`, 'ok'],
  ['IPv4-translated', (ip) => `http://[::ffff:0:${ip}]/`, 'private_address'],
  ['6to4', (ip) => `http://[2002:${hex(ip)}::1]/`, 'private_address'],
  ['NAT64 well-known', (ip) => `http://[64:ff9b::${ip}]/`, 'ok'],
  ['NAT64 local-use', (ip) => `http://[64:ff9b:1::${hex(ip)}]/`, 'ok'],
  ['Teredo client', (ip) => `http://[2001:0:808:808:8000:f227:${hex(ip, true)}]/`, 'private_address'],
  ['Teredo server', (ip) => `http://[2001:0:${hex(ip)}:0:f227:f7f7:f7f7]/`, 'private_address'],
  ['ISATAP', (ip) => `http://[2606:4700:10:20:0:5efe:${ip}]/`, 'ok'],
  ['ISATAP, global id', (ip) => `http://[2606:4700:10:20:200:5efe:${hex(ip)}]/`, 'ok'],
];
const NON_PUBLIC_V4 = ['127.0.0.1', '10.0.0.1', '192.168.1.1', '172.16.0.1', '169.254.169.254'];
for (const [form, url, publicGets] of EMBEDDINGS) {
  for (const ip of NON_PUBLIC_V4) TABLE.push([url(ip), 'private_address', `${form} wrapping ${ip}`]);
  TABLE.push([url('8.8.8.8'), publicGets, `${form} wrapping a public address`]);
}

describe('SSRF rules (pure; no DNS, no connections)', () => {
  it(`has at least 40 URLs in its table (${TABLE.length})`, () => expect(TABLE.length).toBeGreaterThanOrEqual(40));

  it.each(TABLE)('%s → %s (%s)', (url, expected) => {
    const d = decide(url);
    expect(d.ok === true ? 'ok' : d.ok === false ? d.code : 'needs_dns').toBe(expected);
    if (d.ok === false && d.code === 'private_address') expect(d.message).toContain('ALLOW_PRIVATE_ENDPOINTS=1');
  });

  it('connects to the address it checked, with the default port for the scheme', () => {
    expect(decide('https://api.openai.com/v1')).toMatchObject({ ok: true, address: '104.18.6.192', family: 4, port: 443 });
    expect(decide('http://8.8.8.8/v1')).toMatchObject({ ok: true, address: '8.8.8.8', port: 80 });
    expect(decide('https://[2606:4700::1111]:8443/v1')).toMatchObject({ ok: true, address: '2606:4700::1111', family: 6, port: 8443 });
  });

  it('lets local endpoints through with ALLOW_PRIVATE_ENDPOINTS, but never other schemes', () => {
    expect(decide('http://127.0.0.1:11434/v1', true)).toMatchObject({ ok: true, address: '127.0.0.1' });
    expect(decide('https://intranet.example/v1', true)).toMatchObject({ ok: true, address: '10.1.2.3' });
    expect(checkEndpointUrl('http://localhost:1234/v1', { allowPrivate: true })).toMatchObject({ ok: 'needs_dns', host: 'localhost' });
    expect(decide('file:///etc/passwd', true)).toMatchObject({ ok: false, code: 'scheme_not_allowed' });
  });

  it('refuses an IPv6 form that embeds a non-public IPv4 address with the IPv4 address\u2019s own error, unless private endpoints are allowed', () => {
    for (const [, url] of EMBEDDINGS) {
      for (const ip of NON_PUBLIC_V4) {
        const plain = decide(`http://${ip}/`);
        const wrapped = decide(url(ip));
        expect(wrapped).toMatchObject({ ok: false, code: 'private_address' });
        expect(plain.ok === false && wrapped.ok === false && wrapped.message.replace(/^\S+/, '')).toBe(plain.ok === false && plain.message.replace(/^\S+/, ''));
        expect(decide(url(ip), true)).toMatchObject({ ok: true });
      }
    }
    expect(addressProblem('::7f00:1')).toBe('loopback');
    expect(addressProblem('::a9fe:a9fe')).toBe('linkLocal');
    expect(addressProblem('::808:808')).toBe('deprecated IPv4-compatible');
    expect(addressProblem('2002:808:808::1')).toBe('6to4');
    expect(addressProblem('64:ff9b::808:808')).toBeNull();
  });

  it('names the range of a non-public address, and null for public unicast', () => {
    expect(addressProblem('10.0.0.1')).toBe('private');
    expect(addressProblem('::ffff:169.254.1.1')).toBe('linkLocal');
    expect(addressProblem('8.8.4.4')).toBeNull();
    expect(addressProblem('2a00:1450:4001::200e')).toBeNull();
    expect(addressProblem('example.com')).toBe('not an IP address');
  });
});
