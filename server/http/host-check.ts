/**
 * The Host allow-list on requests (Express routes, the /v1 handler, the /ws upgrade) and the
 * request's own origin for same-origin checks. The decisions are in limits/host-rules.ts.
 */
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import type { TLSSocket } from 'node:tls';
import type { RequestHandler } from 'express';
import { AppError } from '../core/errors/app-error.js';
import { isHostAllowed, knownHosts } from '../core/policy/host-rules.js';

/** Express's compiled trust-proxy function ('trust proxy fn'). */
export type TrustProxy = (addr: string, hop: number) => boolean;

export interface HostGuard {
  /** 421 host_not_allowed when the Host is not one the server is known by; undefined when it may pass. */
  refusal(req: IncomingMessage): AppError | undefined;
  /** `${scheme}://${Host}` with the real scheme, or undefined when the Host is not allowed. */
  ownOrigin(req: IncomingMessage): string | undefined;
  /** Every Express route but /health. */
  middleware: RequestHandler;
}

export interface HostGuardOptions {
  allowedHosts: readonly string[];
  trust: TrustProxy;
  /** The machine's own IP addresses (tests inject them); read when a Host is an IP literal, as interfaces come and go. */
  ownAddresses?: () => Iterable<string>;
}

// Any Host: the Space's and Docker's probes need not send the public name, and /health is public and read-only.
const HEALTH = /^\/health\/?$/i;

export function hostGuard(opts: HostGuardOptions): HostGuard {
  const known = knownHosts(opts.allowedHosts);
  const ownAddresses = opts.ownAddresses ?? interfaceAddresses;
  const isOwnAddress = (ip: string) => [...ownAddresses()].includes(ip);
  const allowed = (req: IncomingMessage) => isHostAllowed(req.headers.host, known, isOwnAddress);

  const refusal = (req: IncomingMessage) => (allowed(req) ? undefined : hostNotAllowed(req.headers.host));
  return {
    refusal,
    ownOrigin: (req) => (allowed(req) ? `${requestScheme(req, opts.trust)}://${req.headers.host}` : undefined),
    middleware: (req, _res, next) => next(HEALTH.test(req.path) ? undefined : refusal(req)),
  };
}

/** http, or https when the socket is TLS or a trusted proxy says so in X-Forwarded-Proto (as Express's req.protocol). */
export function requestScheme(req: IncomingMessage, trust: TrustProxy): 'http' | 'https' {
  const direct = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  if (!trust(req.socket.remoteAddress ?? '', 0)) return direct;
  const header = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase() ?? direct;
  return proto === 'https' ? 'https' : 'http';
}

function hostNotAllowed(host: string | undefined): AppError {
  const message =
    host === undefined
      ? 'The request has no Host header; send one naming this server (HTTP/1.1).'
      : `This server does not answer to the host "${host.slice(0, 200)}" (a guard against DNS rebinding). If that is this server's name, add it to server.allowed_hosts in config.yaml.`;
  return new AppError(421, 'host_not_allowed', message);
}

function interfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
}
