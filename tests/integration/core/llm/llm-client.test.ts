import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { pino } from 'pino';
import { LlmClient, type CallOptions, type LlmClientDeps } from '../../../../server/core/llm/llm-client.js';
import type { UpstreamError } from '../../../../server/core/llm/upstream-error.js';
import type { Pin } from '../../../../server/core/llm/pinned-fetch.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';
import { startFakeUpstream, type FakeUpstream } from '../../../helpers/fake-upstream.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

let up: FakeUpstream;
let delays: number[];
const KEY = 'sk-test-0123456789abcdef';
const PRICES: Record<string, { input: number; output: number }> = {
  'test/cheap-model': { input: 1e-6, output: 2e-6 },
  'test/free-model': { input: 0, output: 0 },
};

function client(extra: Partial<LlmClientDeps> = {}) {
  return new LlmClient({
    clock: new FakeClock(),
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    priceOf: (m) => PRICES[m] ?? null,
    sleep: async (ms) => void delays.push(ms),
    ...extra,
  });
}
/** Both wires answer the same way: the pooled one (owner's providers) and the SDK (visitors' endpoints, pinned). */
const WIRES: Array<[string, Pin | undefined]> = [
  ['pooled node:http', undefined],
  ['SDK', { address: '127.0.0.1', family: 4 }],
];
let pin: Pin | undefined;
const target = (model = 'test/cheap-model') => ({ baseUrl: up.url, apiKey: KEY, model, ...(pin ? { pin } : {}) });
const ask = (content = 'hello there') => ({ messages: [{ role: 'user' as const, content }], max_tokens: 50 });
const opts = (o: Partial<CallOptions> = {}): CallOptions => ({ timeoutMs: 5000, ...o });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as UpstreamError,
  );

beforeAll(async () => {
  up = await startFakeUpstream({ requireKey: KEY });
});
afterAll(() => up.close());
beforeEach(() => {
  up.reset();
  up.setLatency(0);
  delays = [];
});

describe.each(WIRES)('over the %s wire', (_wire, wirePin) => {
  beforeAll(() => {
    pin = wirePin;
  });

  describe('LLM client: answers, usage and cost', () => {
    it('returns content, the answering model, usage and the catalog cost', async () => {
      up.enqueue({ kind: 'ok', content: 'Hi!', usage: { prompt_tokens: 100, completion_tokens: 20 } });
      const r = await client().chat(target(), ask(), opts());
      expect(r).toMatchObject({
        content: 'Hi!',
        model: 'test/cheap-model',
        requested_model: 'test/cheap-model',
        usage: { tokens_in: 100, tokens_out: 20, estimated: false },
        cost_usd: 0.00014,
        cost_source: 'catalog',
        cached: false,
        retries: 0,
      });
      expect(up.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    });

    it("prefers the upstream's reported cost", async () => {
      up.enqueue({ kind: 'ok', usage: { prompt_tokens: 1, completion_tokens: 1, cost: 0.0123 } });
      expect(await client().chat(target(), ask(), opts())).toMatchObject({ cost_usd: 0.0123, cost_source: 'upstream' });
    });

    it('says the cost is unknown (null, not zero) for a model without a price', async () => {
      up.enqueue({ kind: 'ok', model: 'other/unpriced' });
      expect(await client().chat(target('other/unpriced'), ask(), opts())).toMatchObject({ cost_usd: null, cost_source: 'unknown' });
    });

    it('streams deltas, measures time to first token and reads usage from the last chunk', async () => {
      const pieces: string[] = [];
      up.enqueue({ kind: 'ok', content: 'one two three', usage: { prompt_tokens: 7, completion_tokens: 3 } });
      const r = await client({ clock: { now: () => Date.now() } }).chat(target(), ask(), opts({ onDelta: (t) => pieces.push(t) }));
      expect(pieces.join('')).toBe('one two three');
      expect(r).toMatchObject({ content: 'one two three', usage: { tokens_in: 7, tokens_out: 3, estimated: false }, finish_reason: 'stop' });
      expect(r.ttft_ms).toEqual(expect.any(Number));
      expect(up.requests[0]!.body.stream_options).toEqual({ include_usage: true });
    });

    it('serves identical temperature-0 requests from the cache, at no cost', async () => {
      const c = client();
      const req = { ...ask('cache me'), temperature: 0 };
      const first = await c.chat(target(), req, opts());
      const second = await c.chat(target(), req, opts());
      expect(up.requests).toHaveLength(1);
      expect(second).toMatchObject({ content: first.content, cached: true, cost_usd: 0, cost_source: 'cache' });
      await c.chat(target(), { ...req, temperature: 0.7 }, opts());
      expect(up.requests).toHaveLength(2);
    });
  });

  describe('LLM client: faults', () => {
    it('gives up at the whole-call deadline with upstream_timeout', async () => {
      up.enqueue({ kind: 'hang' });
      const err = await failure(client().chat(target(), ask(), opts({ timeoutMs: 300 })));
      expect(err).toMatchObject({ status: 504, code: 'upstream_timeout' });
    });

    it('the deadline covers a slow streamed body too: the partial answer comes back with the reason', async () => {
      const slow = await startFakeUpstream({ chunkDelayMs: 200 });
      const started = Date.now();
      const r = await client().chat(
        { baseUrl: slow.url, apiKey: 'k', model: 'm' },
        ask('a b c d e f g h i j'),
        opts({ timeoutMs: 500, onDelta: () => undefined }),
      );
      await slow.close();
      expect(Date.now() - started).toBeLessThan(2000);
      expect(r).toMatchObject({ finish_reason: 'error', error: { code: 'upstream_timeout' }, usage: { estimated: true } });
      expect(r.content.length).toBeGreaterThan(0);
    });

    it('retries 429 honouring Retry-After, then succeeds', async () => {
      up.enqueue({ kind: 'rate_limit', retryAfterS: 2 }, { kind: 'ok', content: 'ok now' });
      const r = await client().chat(target(), ask(), opts());
      expect(r).toMatchObject({ content: 'ok now', retries: 1 });
      expect(delays).toEqual([2000]);
    });

    it('retries 429 without Retry-After with jittered backoff', async () => {
      up.enqueue({ kind: 'error', status: 429 }, { kind: 'ok' });
      await client({ random: () => 0.5 }).chat(target(), ask(), opts());
      expect(delays).toEqual([5000]); // our own default wait for a rate limit without a hint
    });

    it('retries 500 then succeeds; gives up after 3 retries', async () => {
      up.enqueue({ kind: 'error', status: 500 }, { kind: 'ok', content: 'recovered' });
      expect((await client().chat(target(), ask(), opts())).retries).toBe(1);
      up.reset();
      up.enqueue(...Array.from({ length: 5 }, () => ({ kind: 'error' as const, status: 503 })));
      const err = await failure(client().chat(target(), ask(), opts()));
      expect(err).toMatchObject({ code: 'upstream_unavailable' });
      expect(up.requests).toHaveLength(4);
    });

    it.each([
      [401, 'upstream_auth_failed'],
      [402, 'insufficient_credits'],
      [404, 'model_not_found'],
    ])('never retries %i (%s)', async (status, code) => {
      up.enqueue({ kind: 'error', status });
      const err = await failure(client().chat(target(), ask(), opts()));
      expect(err).toMatchObject({ code });
      expect(up.requests).toHaveLength(1);
    });

    it('never echoes the key, even when the upstream rejects it', async () => {
      const err = await failure(client().chat({ ...target(), apiKey: 'sk-or-v1-wrongwrongwrong' }, ask(), opts()));
      expect(err.code).toBe('upstream_auth_failed');
      expect(JSON.stringify({ m: err.message, c: String(err.cause) })).not.toContain('wrongwrong');
    });

    it('keeps what a stream delivered before it broke, marks usage estimated, and does not replay it', async () => {
      up.enqueue({ kind: 'midstream_fail', afterChunks: 2, content: 'alpha beta gamma delta' });
      const pieces: string[] = [];
      const r = await client().chat(target(), ask(), opts({ onDelta: (t) => pieces.push(t) }));
      expect(r.finish_reason).toBe('error');
      expect(r.usage.estimated).toBe(true);
      expect(r.content).toBe(pieces.join(''));
      expect(r.content.length).toBeGreaterThan(0);
      expect(up.requests).toHaveLength(1);
    });

    it('maps an error carried inside a 200 stream, retrying it when nothing was delivered', async () => {
      up.enqueue({ kind: 'stream_error', afterChunks: 0, error: { code: 502, message: 'Provider disconnected' } }, { kind: 'ok', content: 'second try' });
      const r = await client().chat(target(), ask(), opts({ onDelta: () => undefined }));
      expect(r).toMatchObject({ content: 'second try', retries: 1 });
    });

    it('reports a refused connection as upstream_unreachable', async () => {
      const port = await new Promise<number>((resolve) => {
        const s = createServer().listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => resolve(p));
        });
      });
      const err = await failure(client().chat({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'k', model: 'm' }, ask(), opts()));
      expect(err).toMatchObject({ status: 502, code: 'upstream_unreachable' });
      expect(delays).toHaveLength(3);
    });

    it('maps a 200 that is not JSON to upstream_bad_response', async () => {
      up.enqueue(...Array.from({ length: 4 }, () => ({ kind: 'bad_json' as const })));
      const err = await failure(client().chat(target(), ask(), opts()));
      expect(err.code).toBe('upstream_bad_response');
    });

    it('stops at once when the caller cancels', async () => {
      up.enqueue({ kind: 'hang' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const err = await failure(client().chat(target(), ask(), opts({ signal: controller.signal })));
      expect(err).toMatchObject({ code: 'cancelled' });
    });
  });

  describe('LLM client: breaker and fallback', () => {
    it('opens after 5 consecutive failures, fails fast, and probes after the cooldown', async () => {
      const clock = new FakeClock();
      const c = client({ clock });
      up.enqueue(...Array.from({ length: 8 }, () => ({ kind: 'error' as const, status: 500 })));
      await failure(c.chat(target(), ask(), opts())); // 4 failures (1 + 3 retries)
      await failure(c.chat(target(), ask(), opts())); // 5th opens the breaker
      const seen = up.requests.length;
      const fast = await failure(c.chat(target(), ask(), opts()));
      expect(fast).toMatchObject({ status: 503, code: 'upstream_unavailable' });
      expect(fast.headers['Retry-After']).toBe('60');
      expect(up.requests).toHaveLength(seen);
      clock.advance(60_000);
      up.reset();
      up.enqueue({ kind: 'ok', content: 'healthy again' });
      expect((await c.chat(target(), ask(), opts())).content).toBe('healthy again');
      expect(c.breakerState(target())).toBe('closed');
    });

    it('falls back to the next model and says which one answered', async () => {
      up.enqueue({ kind: 'error', status: 404 }, { kind: 'ok', content: 'from fallback' });
      const r = await client().chat(target('gone/model'), ask(), opts({ fallbacks: ['test/free-model'] }));
      expect(r).toMatchObject({ content: 'from fallback', model: 'test/free-model', requested_model: 'gone/model', cost_usd: 0 });
      expect(up.requests.map((q) => q.body.model)).toEqual(['gone/model', 'test/free-model']);
    });

    it('does not fall back on errors another model would not fix', async () => {
      up.enqueue({ kind: 'error', status: 402 });
      await failure(client().chat(target(), ask(), opts({ fallbacks: ['test/free-model'] })));
      expect(up.requests).toHaveLength(1);
    });
  });

  describe('LLM client: metrics', () => {
    it('counts calls by outcome, tokens, USD, retries and cache hits', async () => {
      const metrics = createMetrics();
      const c = client({ metrics });
      up.enqueue({ kind: 'error', status: 500 }, { kind: 'ok', usage: { prompt_tokens: 10, completion_tokens: 5 } }, { kind: 'error', status: 401 });
      await c.chat(target(), { ...ask(), temperature: 0 }, opts());
      await c.chat(target(), { ...ask(), temperature: 0 }, opts());
      await failure(c.chat(target(), ask('other'), opts()));
      const text = await metrics.registry.metrics();
      expect(text).toContain('labcoat_llm_calls_total{model="test/cheap-model",outcome="ok"} 1');
      expect(text).toContain('labcoat_llm_calls_total{model="test/cheap-model",outcome="cached"} 1');
      expect(text).toContain('labcoat_llm_calls_total{model="test/cheap-model",outcome="upstream_auth_failed"} 1');
      expect(text).toContain('labcoat_llm_tokens_total{model="test/cheap-model",direction="in"} 10');
      expect(text).toContain('labcoat_llm_retries_total{model="test/cheap-model"} 1');
      expect(text).toContain('labcoat_llm_cache_hits_total 1');
      expect(text).toMatch(/labcoat_llm_usd_total\{model="test\/cheap-model"\} 0\.00002/);
    });

    it('labels models it has no price for as "other", so ids a visitor makes up cannot grow the metrics', async () => {
      const metrics = createMetrics();
      const c = client({ metrics });
      for (const id of ['made/up-1', 'made/up-2']) await c.chat(target(id), ask(), opts());
      const text = await metrics.registry.metrics();
      expect(text).toContain('labcoat_llm_calls_total{model="other",outcome="ok"} 2');
      expect(text).not.toContain('made/up');
    });
  });

  describe('LLM client: review fixes', () => {
    it('estimates usage (never $0) when the upstream omits it', async () => {
      const bare = createHttpServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            id: 'x',
            object: 'chat.completion',
            created: 0,
            model: 'test/cheap-model',
            choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(400) }, finish_reason: 'stop' }],
          }),
        );
      });
      await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(bare.address() as { port: number }).port}/v1`;
      const r = await client().chat({ baseUrl: url, apiKey: 'k', model: 'test/cheap-model' }, ask(), opts());
      bare.close();
      expect(r.usage).toMatchObject({ tokens_out: 100, estimated: true });
      expect(r.cost_usd).toBeGreaterThan(0);
    });

    it('a probe answered with a 4xx closes the breaker instead of jamming it', async () => {
      const clock = new FakeClock();
      const c = client({ clock });
      up.enqueue(
        ...Array.from({ length: 5 }, () => ({ kind: 'error' as const, status: 500 })),
        { kind: 'error', status: 404 },
        { kind: 'ok', content: 'fine' },
      );
      await failure(c.chat(target(), ask(), opts()));
      await failure(c.chat(target(), ask(), opts()));
      expect(c.breakerState(target())).toBe('open');
      clock.advance(60_000);
      expect((await failure(c.chat(target(), ask(), opts()))).code).toBe('model_not_found');
      expect(c.breakerState(target())).toBe('closed');
      expect((await c.chat(target(), ask(), opts())).content).toBe('fine');
    });

    it("rate limits on one key never open the breaker, and never touch another key's", async () => {
      const c = client();
      up.enqueue(...Array.from({ length: 8 }, () => ({ kind: 'rate_limit' as const, retryAfterS: 1 })));
      await failure(c.chat(target(), ask(), opts()));
      await failure(c.chat(target(), ask(), opts()));
      expect(c.breakerState(target())).toBe('closed');
    });

    it('does not serve one key’s cached answer to another key', async () => {
      const c = client();
      const req = { ...ask('same question'), temperature: 0 };
      await c.chat(target(), req, opts());
      const r = await c.chat({ ...target(), apiKey: 'sk-test-another-key-000' }, req, opts()).catch((e: UpstreamError) => e);
      expect((r as UpstreamError).code).toBe('upstream_auth_failed'); // went upstream (which rejects that key) instead of the cache
    });
  });
});

describe('LLM client: the pooled wire', () => {
  const COMPLETION = JSON.stringify({
    model: 'test/cheap-model',
    choices: [{ message: { content: 'pooled' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 1 },
  });

  it('sends sequential calls over one kept-alive connection, and replaces one the provider dropped while idle without a retry', async () => {
    let connections = 0;
    let dropNext = false;
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        // The provider closing an idle connection just as it is reused: the request never reaches it.
        if (dropNext) {
          dropNext = false;
          return void req.socket.destroy();
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(COMPLETION);
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const llm = client();
    const to = { baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, apiKey: KEY, model: 'test/cheap-model' };
    try {
      for (let i = 0; i < 5; i++) expect((await llm.chat(to, ask(), opts())).content).toBe('pooled');
      expect(connections).toBe(1);
      dropNext = true;
      const r = await llm.chat(to, ask(), opts());
      expect(r).toMatchObject({ content: 'pooled', retries: 0 });
      expect(delays).toEqual([]);
      expect(connections).toBe(2);
    } finally {
      llm.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  /** A plain HTTP server on loopback for the pooled wire; `handle` gets the request number (1-based). */
  async function rawUpstream(handle: (n: number, req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) {
    let n = 0;
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => handle(++n, req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      target: { baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, apiKey: KEY, model: 'test/cheap-model' },
      requests: () => n,
      close: () => new Promise((resolve) => server.close(resolve)),
    };
  }

  it('a connection cut after the answer began is one failed attempt, retried in the open: never a hidden second request', async () => {
    const up2 = await rawUpstream((n, _req, res) => {
      if (n !== 2) return void res.writeHead(200, { 'content-type': 'application/json' }).end(COMPLETION);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"model":"test/cheap-model","choi');
      setTimeout(() => res.socket?.resetAndDestroy(), 20); // a reset (RST), as a dying proxy sends
    });
    const llm = client();
    try {
      await llm.chat(up2.target, ask(), opts());
      const r = await llm.chat(up2.target, ask(), opts());
      expect(r).toMatchObject({ content: 'pooled', retries: 1 });
      expect(up2.requests()).toBe(3); // the first call, the cut attempt, its one retry
    } finally {
      llm.close();
      await up2.close();
    }
  });

  it('refuses a redirect without following it, as the SDK wire does', async () => {
    const up2 = await rawUpstream((_n, _req, res) => res.writeHead(307, { location: 'http://169.254.169.254/latest/' }).end());
    try {
      const err = await failure(client().chat(up2.target, ask(), opts()));
      expect(err).toMatchObject({ code: 'upstream_bad_response', status: 502 });
      expect(err.message).toContain('does not follow redirects');
      expect(up2.requests()).toBe(1);
    } finally {
      await up2.close();
    }
  });

  it('reads a named `error` event in a stream as the provider\u2019s error, and keeps HTML error pages out of messages', async () => {
    const up2 = await rawUpstream((n, _req, res) => {
      if (n === 1)
        return void res.writeHead(200, { 'content-type': 'text/event-stream' }).end('event: error\ndata: {"message":"no such model here","code":404}\n\n');
      res.writeHead(400, { 'content-type': 'text/html' }).end('<html><body>Bad gateway page</body></html>');
    });
    try {
      const streamed = await failure(client().chat(up2.target, ask(), opts({ onDelta: () => undefined })));
      expect(streamed).toMatchObject({ code: 'model_not_found' });
      expect(streamed.message).toContain('no such model here');
      const html = await failure(client().chat(up2.target, ask(), opts()));
      expect(html).toMatchObject({ code: 'upstream_bad_request' });
      expect(html.message).not.toContain('<html>');
    } finally {
      await up2.close();
    }
  });
});
