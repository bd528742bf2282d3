/**
 * Which Host headers this server answers (DNS rebinding guard) and when an Origin is this
 * server's own: pure decisions, no request objects, no network.
 *
 * A rebinding page at http://evil.example:PORT whose name now resolves to this server sends
 * `Host: evil.example:PORT` and `Origin: http://evil.example:PORT`; comparing the two says
 * "same origin". Only a Host the server is known by counts.
 */
import { isIP } from 'node:net';

/** A Host header, parsed and normalised. */
export interface ParsedHost {
  /** Lowercase, IDNA, canonical IPv4, IPv6 in brackets, no trailing dot. */
  hostname: string;
  /** hostname, plus ":port" unless the port is absent or 80. */
  host: string;
}

/** The names the server is known by, from SPACE_HOST, server.allowed_origins and server.allowed_hosts. */
export interface KnownHosts {
  /** Allowed on any port. */
  names: ReadonlySet<string>;
  /** Allowed on that port only (entries written with a port). */
  hostPorts: ReadonlySet<string>;
}

/** host or host:port, nothing else: no scheme, path, credentials or spaces. */
const BARE_HOST = /^[^/?#@\\\s]+$/;

/** Parses a Host header the way a browser's URL parser reads it, or undefined when it is not a bare host[:port]. */
export function parseHost(raw: string | undefined): ParsedHost | undefined {
  if (raw === undefined || !BARE_HOST.test(raw)) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${raw}`);
  } catch {
    return undefined;
  }
  // "localhost." and "localhost" are one name to DNS; strip the dot so lists need only one form.
  const hostname = url.hostname.endsWith('.') ? url.hostname.slice(0, -1) : url.hostname;
  if (hostname === '') return undefined;
  return { hostname, host: url.port ? `${hostname}:${url.port}` : hostname };
}

/** Builds the known set; entries are "name" (any port) or "name:port" (that port only). Unparseable ones are dropped. */
export function knownHosts(entries: readonly string[]): KnownHosts {
  const names = new Set<string>();
  const hostPorts = new Set<string>();
  for (const entry of entries) {
    const parsed = parseHost(entry.trim());
    if (!parsed) continue;
    if (/:\d+$/.test(entry.trim())) hostPorts.add(parsed.host);
    else names.add(parsed.hostname);
  }
  return { names, hostPorts };
}

/** localhost, 127.0.0.0/8 and [::1]: never rebindable to someone else's server. */
export function isLoopbackHostname(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Whether a request's Host header names this server. IP literals equal to one of the machine's own
 * addresses pass (a LAN run reached by IP): a rebinding attack needs a DNS name, never a literal.
 */
export function isHostAllowed(raw: string | undefined, known: KnownHosts, isOwnAddress: (ip: string) => boolean = () => false): boolean {
  const parsed = parseHost(raw);
  if (!parsed) return false;
  const { hostname, host } = parsed;
  if (isLoopbackHostname(hostname) || known.names.has(hostname) || known.hostPorts.has(host)) return true;
  const ip = hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(ip) !== 0 && isOwnAddress(ip);
}

/** The WHATWG origin of a URL (scheme, host and port), or undefined for "null" and garbage. */
export function originOf(value: string): string | undefined {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/** Same origin: scheme, host and port all equal, compared as the browser serialises them. */
export function isSameOrigin(origin: string, own: string): boolean {
  const a = originOf(origin);
  return a !== undefined && a === originOf(own);
}
