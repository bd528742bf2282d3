import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../clock.js';

/** What OpenRouter's `GET /key` says about a key (other providers have no such route). Its label is left
 * out: OpenRouter's default label is a masked copy of the key. */
export interface KeyCredit {
  /** USD limit on the key; null when it has none. */
  limit_usd: number | null;
  usage_usd: number | null;
  remaining_usd: number | null;
  is_free_tier: boolean | null;
}

const keyInfo = z.looseObject({
  data: z.looseObject({
    limit: z.number().nullable().optional(),
    usage: z.number().nullable().optional(),
    limit_remaining: z.number().nullable().optional(),
    is_free_tier: z.boolean().nullable().optional(),
  }),
});

const CACHE_MS = 60_000;
const MAX_CACHED = 500;

/**
 * Asks the provider how much credit a visitor's key has left. Answers are cached a minute per
 * key hash (never the key); a failure is an answer too (null), so a broken route is not hammered.
 */
export function keyCreditLookup(opts: { baseUrl: string; timeoutMs: number; clock: Clock; fetch?: typeof fetch }) {
  const cache = new Map<string, { at: number; value: KeyCredit | null }>();
  const doFetch = opts.fetch ?? fetch;
  return async function credit(apiKey: string): Promise<KeyCredit | null> {
    const id = createHash('sha256').update(apiKey).digest('base64url');
    const now = opts.clock.now();
    const hit = cache.get(id);
    if (hit && now - hit.at < CACHE_MS) return hit.value;
    let value: KeyCredit | null = null;
    try {
      const res = await doFetch(`${opts.baseUrl}/key`, {
        headers: { Authorization: `Bearer ${apiKey}` },
        signal: AbortSignal.timeout(opts.timeoutMs),
        redirect: 'error',
      });
      if (res.ok) {
        const parsed = keyInfo.safeParse(await res.json());
        if (parsed.success) {
          const d = parsed.data.data;
          value = { limit_usd: d.limit ?? null, usage_usd: d.usage ?? null, remaining_usd: d.limit_remaining ?? null, is_free_tier: d.is_free_tier ?? null };
        }
      } else await res.body?.cancel();
    } catch {
      value = null;
    }
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(id, { at: now, value });
    return value;
  };
}
