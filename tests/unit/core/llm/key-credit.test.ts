import { describe, expect, it } from 'vitest';
import { keyCreditLookup } from '../../../../server/core/llm/key-credit.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

interface Seen {
  url: string;
  auth: string | null;
  redirect: RequestInit['redirect'];
  signal: boolean;
}

/** A fetch that answers from a script and records what it was asked. */
function scriptedFetch(answer: (n: number) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const fn = (async (url: string | URL | Request, init?: RequestInit) => {
    seen.push({
      url: String(url),
      auth: new Headers(init?.headers).get('authorization'),
      redirect: init?.redirect,
      signal: init?.signal instanceof AbortSignal,
    });
    return answer(seen.length);
  }) as typeof fetch;
  return { fn, seen };
}

const jsonResponse = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const BASE = 'https://openrouter.test/api/v1';

describe('keyCreditLookup', () => {
  it('asks GET <base>/key with the key as Bearer, no redirects, with a timeout; maps the answer', async () => {
    const { fn, seen } = scriptedFetch(() =>
      jsonResponse({ data: { label: 'sk-or-v1-abc...xyz', limit: 10, usage: 2.5, limit_remaining: 7.5, is_free_tier: false } }),
    );
    const credit = keyCreditLookup({ baseUrl: BASE, timeoutMs: 1000, clock: new FakeClock(), fetch: fn });
    const got = await credit('sk-or-v1-secret');
    expect(got).toEqual({ limit_usd: 10, usage_usd: 2.5, remaining_usd: 7.5, is_free_tier: false });
    expect(got).not.toHaveProperty('label');
    expect(seen).toEqual([{ url: `${BASE}/key`, auth: 'Bearer sk-or-v1-secret', redirect: 'error', signal: true }]);
  });

  it('maps missing and null fields to null (a key without a limit)', async () => {
    const { fn } = scriptedFetch(() => jsonResponse({ data: { usage: 1, limit: null } }));
    const credit = keyCreditLookup({ baseUrl: BASE, timeoutMs: 1000, clock: new FakeClock(), fetch: fn });
    expect(await credit('k')).toEqual({ limit_usd: null, usage_usd: 1, remaining_usd: null, is_free_tier: null });
  });

  it.each([
    ['an error status', () => jsonResponse({ error: 'no such route' }, 404)],
    ['a body of the wrong shape', () => jsonResponse({ data: { limit: 'ten' } })],
    ['a body without data', () => jsonResponse({ ok: true })],
    ['text that is not JSON', () => new Response('<html>', { status: 200 })],
    [
      'a network failure',
      () => {
        throw new TypeError('fetch failed');
      },
    ],
  ])('answers null for %s', async (_name, answer) => {
    const { fn } = scriptedFetch(answer);
    const credit = keyCreditLookup({ baseUrl: BASE, timeoutMs: 1000, clock: new FakeClock(), fetch: fn });
    expect(await credit('k')).toBeNull();
  });

  it('caches each key’s answer (failures too) for a minute, by the injected clock', async () => {
    const clock = new FakeClock();
    const { fn, seen } = scriptedFetch((n) => (n === 1 ? jsonResponse({}, 500) : jsonResponse({ data: { usage: n } })));
    const credit = keyCreditLookup({ baseUrl: BASE, timeoutMs: 1000, clock, fetch: fn });
    expect(await credit('a')).toBeNull();
    clock.advance(59_999);
    expect(await credit('a')).toBeNull(); // a failure is cached too: a broken route is not hammered
    expect(seen).toHaveLength(1);
    clock.advance(1);
    expect((await credit('a'))?.usage_usd).toBe(2);
    expect(seen).toHaveLength(2);
  });

  it('keeps keys apart', async () => {
    const { fn, seen } = scriptedFetch((n) => jsonResponse({ data: { usage: n } }));
    const credit = keyCreditLookup({ baseUrl: BASE, timeoutMs: 1000, clock: new FakeClock(), fetch: fn });
    expect((await credit('a'))?.usage_usd).toBe(1);
    expect((await credit('b'))?.usage_usd).toBe(2);
    expect((await credit('a'))?.usage_usd).toBe(1);
    expect(seen.map((s) => s.auth)).toEqual(['Bearer a', 'Bearer b']);
  });

  it('holds at most 500 keys, dropping the oldest', async () => {
    const { fn, seen } = scriptedFetch(() => jsonResponse({ data: { usage: 0 } }));
    const credit = keyCreditLookup({ baseUrl: BASE, timeoutMs: 1000, clock: new FakeClock(), fetch: fn });
    for (let i = 0; i < 501; i++) await credit(`key-${i}`);
    expect(seen).toHaveLength(501);
    await credit('key-500'); // still cached
    await credit('key-1'); // still cached
    expect(seen).toHaveLength(501);
    await credit('key-0'); // dropped to make room
    expect(seen).toHaveLength(502);
  });
});
