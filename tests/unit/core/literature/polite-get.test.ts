import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { LiteratureError } from '../../../../server/core/literature/errors.js';
import { createPoliteGet, type PoliteFetchOptions } from '../../../../server/core/literature/polite-get.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { listen, type Listening } from '../../../helpers/listen.js';

type Reply = (req: IncomingMessage, res: ServerResponse) => void;
const ok: Reply = (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
const status =
  (code: number, headers: Record<string, string> = {}): Reply =>
  (_req, res) =>
    void res.writeHead(code, headers).end('<html>busy</html>');

let server: Listening | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A loopback API answering with `replies` in order (the last one repeats), and a PoliteGet on a fake clock. */
async function setup(replies: Reply[], opts: Partial<PoliteFetchOptions> = {}) {
  const seen: IncomingMessage[] = [];
  server = await listen((req, res) => {
    seen.push(req);
    (replies[Math.min(seen.length - 1, replies.length - 1)] ?? ok)(req, res);
  });
  const clock = new FakeClock();
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
    clock.advance(ms);
  };
  const get = createPoliteGet(
    { source: 'arxiv', userAgent: 'Labcoat/test (mailto:owner@example.org)', minIntervalMs: 3000, timeoutMs: 2000, retries: 2, maxBytes: 1024, ...opts },
    { clock, sleep },
  );
  return { get, seen, waits, clock, url: server.url };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: unknown) => err as LiteratureError,
  );

describe('a polite GET to a literature API', () => {
  it('names Labcoat and the owner in User-Agent, asks for the type the adapter reads, and passes a 404 through', async () => {
    const { get, seen, url } = await setup([ok, status(404)]);
    expect(await get(`${url}/works?search=x`, { accept: 'application/atom+xml' })).toEqual({
      status: 200,
      contentType: 'application/json',
      text: '{"ok":true}',
    });
    expect(seen[0]!.headers['user-agent']).toBe('Labcoat/test (mailto:owner@example.org)');
    expect(seen[0]!.headers.accept).toBe('application/atom+xml');
    expect((await get(`${url}/works/doi:10.1/none`)).status).toBe(404);
  });

  it('starts requests at least minIntervalMs apart (arXiv asks one per 3 s)', async () => {
    const { get, waits, clock, url } = await setup([ok]);
    await get(`${url}/a`);
    await get(`${url}/b`);
    clock.advance(5000);
    await get(`${url}/c`);
    expect(waits).toEqual([3000]);
  });

  it('waits out a short Retry-After on 429 and tries again', async () => {
    const { get, waits, seen, url } = await setup([status(429, { 'retry-after': '2' }), ok], { minIntervalMs: 0 });
    expect((await get(`${url}/q`)).status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(waits).toContain(2000);
  });

  it('gives up on a long Retry-After at once, saying how long the source asked for', async () => {
    const { get, seen, url } = await setup([status(429, { 'retry-after': '60' })], { minIntervalMs: 0 });
    expect(await failure(get(`${url}/q`))).toMatchObject({ source: 'arxiv', failure: 'rate_limited', retryAfterS: 60 });
    expect(seen).toHaveLength(1);
  });

  it('retries 5xx with backoff, then gives up as unavailable; five failed lookups open the breaker', async () => {
    const { get, seen, waits, url } = await setup([status(503), status(502), ok], { minIntervalMs: 0 });
    expect((await get(`${url}/q`)).status).toBe(200);
    expect(waits).toEqual([500, 1000]);
    const down = await setup([status(503)], { minIntervalMs: 0, retries: 0 });
    for (let i = 0; i < 5; i++) expect(await failure(down.get(`${down.url}/q`))).toMatchObject({ failure: 'unavailable' });
    expect(await failure(down.get(`${down.url}/q`))).toMatchObject({ failure: 'breaker_open' });
    expect(down.seen).toHaveLength(5);
    expect(seen).toHaveLength(3);
  });

  it('drops an answer over the byte cap, declared or streamed', async () => {
    const big = 'x'.repeat(4096);
    const { get, url } = await setup(
      [
        (_req, res) => void res.writeHead(200).end(big),
        (_req, res) => {
          res.writeHead(200, { 'transfer-encoding': 'chunked' });
          res.write(big.slice(0, 800));
          res.end(big.slice(800));
        },
      ],
      { minIntervalMs: 0 },
    );
    expect(await failure(get(`${url}/declared`))).toMatchObject({ failure: 'too_large' });
    expect(await failure(get(`${url}/streamed`))).toMatchObject({ failure: 'too_large' });
  });

  it('ends a request that does not answer in time as a timeout', async () => {
    const { get, url } = await setup([() => undefined], { minIntervalMs: 0, retries: 0, timeoutMs: 100 });
    const err = await failure(get(`${url}/hang`));
    expect(err).toBeInstanceOf(LiteratureError);
    expect(err).toMatchObject({ failure: 'timeout' });
  });
});
