/**
 * Which endpoints a visitor may point Labcoat at (batch tests): pure decisions, no network.
 * Only http(s); the host, after the URL parser has normalised odd IPv4 forms (decimal, octal,
 * hex, short), must be a public unicast address, and a name must resolve only to such
 * addresses. The caller connects to the address checked here, never to a second lookup.
 */
import ipaddr from 'ipaddr.js';

export type EndpointRefusal =
  | 'invalid_url'
  | 'scheme_not_allowed'
  | 'credentials_in_url'
  | 'query_in_url'
  | 'private_address'
  | 'unresolvable_host';

export type EndpointDecision =
  | { ok: true; url: URL; host: string; port: number; /** The address to connect to (for a literal, the literal). */ address: string; family: 4 | 6 }
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
  let addr = ipaddr.parse(ip);
  // IPv4 written as IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it is.
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
  const range = addr.range();
  // Everything but plain unicast: loopback, private, link-local, CGNAT, multicast, unspecified,
  // reserved and documentation ranges, and IPv6 tunnels that embed an IPv4 address (6to4, Teredo, NAT64).
  return range === 'unicast' ? null : range;
}

/** Checks the URL's form and, for a literal address, the address. Names still need resolveChecked(). */
export function checkEndpointUrl(raw: string, opts: { allowPrivate: boolean }): EndpointDecision | { ok: 'needs_dns'; url: URL; host: string; port: number } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('invalid_url', 'That is not a URL. Give the base URL of an OpenAI-compatible API, like https://api.example.com/v1.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return refuse('scheme_not_allowed', `Only http and https endpoints can be tested, not ${url.protocol.replace(':', '')}.`);
  if (url.username || url.password) return refuse('credentials_in_url', 'Put the API key in the key field, not in the URL.');
  // A base URL is shown and exported with the results: a token in its query would travel with them.
  if (url.search || url.hash) return refuse('query_in_url', 'Give the base URL without a query or fragment (for example https://api.example.com/v1); put the key in the key field.');
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
export function resolveChecked(checked: { url: URL; host: string; port: number }, resolved: readonly ResolvedAddress[], opts: { allowPrivate: boolean }): EndpointDecision {
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
