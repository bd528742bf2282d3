import { AppError } from '../errors/app-error.js';
import type { Target } from './llm-client.js';

/** Who pays for a call: the Space's key, or the visitor's own (never stored, never logged). */
export type KeyMode = 'server' | 'byok';

export interface KeySources {
  /** The server key and its upstream; undefined in data-only mode. */
  server: { apiKey: string; baseUrl: string } | undefined;
  byok: { enabled: boolean; baseUrl: string };
}

const KEY_SHAPE = /^[\x21-\x7e]{8,512}$/;

/** The visitor's key from `Authorization: Bearer …`, checked for shape only (the provider validates it). */
export function bearerKey(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = authorization.match(/^Bearer\s+(.+)$/i);
  const key = match?.[1]?.trim();
  if (!key || !KEY_SHAPE.test(key)) {
    throw new AppError(400, 'invalid_authorization', 'The Authorization header must be "Bearer <your API key>" with a key of 8 to 512 visible characters.');
  }
  return key;
}

/**
 * Who would pay for a call with this Authorization header. A visitor who sends a key where
 * visitors' keys are off is told so, never silently run on the Space's key.
 */
export function payerMode(sources: KeySources, authorization: string | undefined): { kind: 'byok'; key: string } | { kind: 'server' } | { kind: 'none' } {
  const own = bearerKey(authorization);
  if (own && !sources.byok.enabled) {
    throw new AppError(
      403,
      'byok_disabled',
      'This Space does not accept visitors\u2019 own keys. Remove your key in Settings to use the Space\u2019s key, or duplicate the Space to run it with yours.',
    );
  }
  if (own) return { kind: 'byok', key: own };
  return sources.server ? { kind: 'server' } : { kind: 'none' };
}

/**
 * The target for a model call: the visitor's own key when they sent one (and BYO is on),
 * else the server key, else 402 with the ways to get inference.
 */
export function chooseTarget(sources: KeySources, authorization: string | undefined, model: string, spaceId?: string): { target: Target; mode: KeyMode } {
  const mode = payerMode(sources, authorization);
  if (mode.kind === 'byok') return { target: { baseUrl: sources.byok.baseUrl, apiKey: mode.key, model }, mode: 'byok' };
  if (sources.server) return { target: { ...sources.server, model }, mode: 'server' };
  const duplicate = spaceId
    ? ` or duplicate the Space (https://huggingface.co/spaces/${spaceId}?duplicate=true) and set the OPENROUTER_API_KEY secret`
    : ', or set OPENROUTER_API_KEY where this server runs';
  throw new AppError(
    402,
    'no_api_key',
    `This Space runs in data-only mode: there is no key to call models with. Add your own OpenRouter key in Settings${duplicate}.`,
  );
}
