/**
 * Turns a visitor's base URL into a target the LLM client may call: the SSRF rules decide, the
 * name is resolved once (with a deadline), and the checked address is pinned for the connection.
 */
import { lookup } from 'node:dns/promises';
import { AppError } from '../../core/errors/app-error.js';
import type { Pin } from '../../core/llm/pinned-fetch.js';
import { checkEndpointUrl, resolveChecked, type ResolvedAddress } from '../../core/policy/ssrf-rules.js';

export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

const DNS_TIMEOUT_MS = 5000;

/** The system resolver, bounded by a deadline; a failure resolves to nothing (refused as unresolvable). */
export const systemResolver: Resolver = async (host) => {
  const timeout = new Promise<ResolvedAddress[]>((resolve) => setTimeout(() => resolve([]), DNS_TIMEOUT_MS).unref());
  return Promise.race([lookup(host, { all: true, verbatim: true }).catch(() => []), timeout]);
};

export interface GuardedEndpoint {
  /** The base URL as given, normalised (no trailing slash). */
  baseUrl: string;
  pin: Pin;
}

/** Checks a visitor's endpoint; throws 400 with the rule's code and advice when it may not be called. */
export async function guardEndpoint(raw: string, opts: { allowPrivate: boolean; resolve: Resolver }): Promise<GuardedEndpoint> {
  const first = checkEndpointUrl(raw.trim(), { allowPrivate: opts.allowPrivate });
  const decision = first.ok === 'needs_dns' ? resolveChecked(first, await opts.resolve(first.host), { allowPrivate: opts.allowPrivate }) : first;
  if (!decision.ok) throw new AppError(400, decision.code, decision.message);
  return { baseUrl: decision.url.href.replace(/\/+$/, ''), pin: { address: decision.address, family: decision.family } };
}
