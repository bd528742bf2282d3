/**
 * Which endpoints a visitor may point Labcoat at (batch tests): pure decisions, no network.
 * Only http(s); the host, after the URL parser has normalised odd IPv4 forms (decimal, octal,
 * hex, short), must be a public unicast address, and a name must resolve only to such
 * addresses. The caller connects to the address checked here, never to a second lookup.
 */
import ipaddr from 'ipaddr.js';

export type EndpointRefusal = 'invalid_url' | 'scheme_not_allowed' | 'credentials_in_url' | 'query_in_url' | 'private_address' | 'unresolvable_host';

export type EndpointDecision =
  | { ok: true; url: URL; host: string; port: number /** The address to connect to (for a literal, the literal). */; address: string; family: 4 | 6 }
  | { ok: false; code: EndpointRefusal; message: string };

/** One resolved address, as node:dns lookup(all: true) gives them. */
export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Names that never leave the machine, whatever DNS says (RFC 6761). */
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|home\.arpa)$/i;

const refuse = (code: EndpointRefusal, message: string): EndpointDecision => ({ ok: false, code, message });

/** Why an address is not public, or null when it is a public unicast address. */
export function addressProblem(ip: string): string | null {
  if (!ipaddr.isValid(ip)) return 'not an IP address';
  const addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv4') return v4Problem(addr as ipaddr.IPv4);
  const v6 = addr as ipaddr.IPv6;
  const range = v6.range();
  if (range === 'unspecified' || range === 'loopback') return range; // :: and ::1 sit inside ::/96
  // An IPv6 form that embeds an IPv4 address can reach that address (via a dual-stack socket, a
  // tunnel or a translator), so it gets the error the IPv4 address itself gets.
  for (const inner of embeddedIPv4(v6)) {
    const problem = v4Problem(inner);
    if (problem) return problem;
  }
  // Mapped and NAT64 forms of a public address are how IPv6-only hosts reach it.
  if (range === 'ipv4Mapped' || range === 'rfc6052') return null;
  // ::a.b.c.d is deprecated (RFC 4291) and nothing public is reached that way: refused whatever it holds.
  if (isIPv4Compatible(v6)) return 'deprecated IPv4-compatible';
  // Else only global unicast (2000::/3; the rest of the space is unassigned or reserved) outside
  // the special ranges: 6to4, Teredo and translated forms stay refused whatever they carry.
  if (range !== 'unicast') return range;
  return v6.match(GLOBAL_UNICAST) ? null : 'reserved';
}

const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

function v4Problem(addr: ipaddr.IPv4): string | null {
  const range = addr.range();
  return range === 'unicast' ? null : range;
}

const v4 = (hi: number, lo: number) => ipaddr.fromByteArray([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]) as ipaddr.IPv4;

const isIPv4Compatible = (a: ipaddr.IPv6) => a.parts.slice(0, 6).every((p) => p === 0);

/** The IPv4 addresses an IPv6 address carries, in any of the forms that lead to them. */
function embeddedIPv4(a: ipaddr.IPv6): ipaddr.IPv4[] {
  const [p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0] = a.parts;
  const found: ipaddr.IPv4[] = [];
  const zero = (...ps: number[]) => ps.every((p) => p === 0);
  if (zero(p0, p1, p2, p3) && ((p4 === 0 && (p5 === 0 || p5 === 0xffff)) || (p4 === 0xffff && p5 === 0))) found.push(v4(p6, p7)); // ::/96 compatible, ::ffff:0:0/96 mapped, ::ffff:0:0:0/96 translated
  if (p0 === 0x64 && p1 === 0xff9b && (p2 === 1 || zero(p2, p3, p4, p5))) found.push(v4(p6, p7)); // NAT64 64:ff9b::/96, 64:ff9b:1::/48 (RFC 8215)
  if (p0 === 0x2002) found.push(v4(p1, p2)); // 6to4
  if (p0 === 0x2001 && p1 === 0) found.push(v4(p2, p3), v4(p6 ^ 0xffff, p7 ^ 0xffff)); // Teredo: server, then client (inverted)
  if ((p4 & ~0x0300) === 0 && p5 === 0x5efe) found.push(v4(p6, p7)); // ISATAP interface id, any prefix (u/g bits ignored)
  return found;
}

/** Checks the URL's form and, for a literal address, the address. Names still need resolveChecked(). */
export function checkEndpointUrl(raw: string, opts: { allowPrivate: boolean }): EndpointDecision | { ok: 'needs_dns'; url: URL; host: string; port: number } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('invalid_url', 'That is not a URL. Give the base URL of an OpenAI-compatible API, like https://api.example.com/v1.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return refuse('scheme_not_allowed', `Only http and https endpoints can be tested, not ${url.protocol.replace(':', '')}.`);
  if (url.username || url.password) return refuse('credentials_in_url', 'Put the API key in the key field, not in the URL.');
  // A base URL is shown and exported with the results: a token in its query would travel with them.
  if (url.search || url.hash)
    return refuse('query_in_url', 'Give the base URL without a query or fragment (for example https://api.example.com/v1); put the key in the key field.');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (ipaddr.isValid(host)) {
    const family = ipaddr.parse(host).kind() === 'ipv4' ? 4 : 6;
    const problem = opts.allowPrivate ? null : addressProblem(host);
    if (problem) return privateRefusal(host, problem);
    return { ok: true, url, host, port, address: host, family };
  }
  if (!opts.allowPrivate && LOCAL_NAMES.test(host)) return privateRefusal(host, 'a local name');
  return { ok: 'needs_dns', url, host, port };
}

/**
 * Judges what a name resolved to: every address must be public (a name with one private address
 * among public ones is refused, or a rebinding resolver could pick it). Returns the address to use.
 */
export function resolveChecked(
  checked: { url: URL; host: string; port: number },
  resolved: readonly ResolvedAddress[],
  opts: { allowPrivate: boolean },
): EndpointDecision {
  if (resolved.length === 0) return refuse('unresolvable_host', `${checked.host} does not resolve to an address. Check the spelling of the URL.`);
  if (!opts.allowPrivate) {
    for (const r of resolved) {
      const problem = addressProblem(r.address);
      if (problem) return privateRefusal(`${checked.host} (${r.address})`, problem);
    }
  }
  const first = resolved[0]!;
  return { ok: true, url: checked.url, host: checked.host, port: checked.port, address: first.address, family: first.family === 6 ? 6 : 4 };
}

function privateRefusal(what: string, range: string): EndpointDecision {
  return refuse(
    'private_address',
    `${what} is ${range === 'a local name' ? 'a local name' : `a non-public address (${range})`}; this Space only tests public endpoints. To test a local model, run Labcoat yourself with ALLOW_PRIVATE_ENDPOINTS=1.`,
  );
}
