import { describe, expect, it } from 'vitest';
import { ResponseCache } from '../../../../server/core/llm/response-cache.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

describe('ResponseCache.key', () => {
  const request = { messages: [{ role: 'user', content: 'hi' }], temperature: 0 };

  it('is stable for the same endpoint, model and request', () => {
    expect(ResponseCache.key('https://a/v1', 'm', request)).toBe(ResponseCache.key('https://a/v1', 'm', structuredClone(request)));
    expect(ResponseCache.key('https://a/v1', 'm', request)).toMatch(/^[\w-]{43}$/); // sha256, base64url
  });

  it('differs when the endpoint, the model or any request field differs', () => {
    const base = ResponseCache.key('https://a/v1', 'm', request);
    expect(ResponseCache.key('https://b/v1', 'm', request)).not.toBe(base);
    expect(ResponseCache.key('https://a/v1', 'm2', request)).not.toBe(base);
    expect(ResponseCache.key('https://a/v1', 'm', { ...request, max_tokens: 10 })).not.toBe(base);
    expect(ResponseCache.key('https://a/v1', 'm', { ...request, messages: [{ role: 'user', content: 'hi!' }] })).not.toBe(base);
  });

  it('cannot be confused by moving text between fields', () => {
    expect(ResponseCache.key('https://a/v1', 'm', 'x')).not.toBe(ResponseCache.key('https://a/v1m', '', 'x'));
  });
});

describe('ResponseCache', () => {
  // lru-cache reuses the clock's reading for 1 ms (its ttlResolution; the cache does not set it to 0):
  // a later timer lets the next get() read the injected clock again.
  const nextClockRead = () => new Promise((r) => setTimeout(r, 5));

  it('answers within the TTL, and not after (by the injected clock)', async () => {
    const clock = new FakeClock();
    const cache = new ResponseCache<{ content: string }>({ max: 10, ttlMs: 1000, clock });
    cache.set('k', { content: 'cached' });
    clock.advance(999);
    await nextClockRead();
    expect(cache.get('k')).toEqual({ content: 'cached' });
    clock.advance(2);
    await nextClockRead();
    expect(cache.get('k')).toBeUndefined();
  });

  it('keeps at most max entries, dropping the least recently used', () => {
    const clock = new FakeClock();
    const cache = new ResponseCache<{ n: number }>({ max: 2, ttlMs: 60_000, clock });
    cache.set('a', { n: 1 });
    cache.set('b', { n: 2 });
    cache.get('a'); // a is now more recent than b
    cache.set('c', { n: 3 });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual({ n: 1 });
    expect(cache.get('c')).toEqual({ n: 3 });
  });

  it('treats a max below 1 as 1', () => {
    const cache = new ResponseCache<{ n: number }>({ max: 0, ttlMs: 60_000, clock: new FakeClock() });
    cache.set('a', { n: 1 });
    expect(cache.get('a')).toEqual({ n: 1 });
    cache.set('b', { n: 2 });
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toEqual({ n: 2 });
  });

  it('misses a key never set', () => {
    expect(new ResponseCache({ max: 5, ttlMs: 1, clock: new FakeClock() }).get('nope')).toBeUndefined();
  });
});
