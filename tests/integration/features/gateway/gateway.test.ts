import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'csv-parse/sync';
import { startFakeUpstream, type FakeUpstream } from '../../../helpers/fake-upstream.js';
import { startTestServer, type TestServer } from '../../../helpers/test-server.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { makeTempDir } from '../../../helpers/temp-dir.js';

vi.setConfig({ testTimeout: 30_000 });

const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const PAID = 'openai/gpt-4o-mini'; // $0.15 / $0.60 per 1M in the shipped snapshot
const OTHER = 'anthropic/claude-3.5-haiku';
const ADMIN = 'admin-token-for-tests-0123456789';

let up: FakeUpstream;
let server: TestServer;

beforeAll(async () => {
  up = await startFakeUpstream({ latencyMs: 5 });
  server = await startTestServer({
    env: { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: up.url, ADMIN_TOKEN: ADMIN },
    config: { cost_control: { allowed_models: { development: [FREE, PAID, OTHER] }, tiers: { anonymous: [FREE] } } },
  });
});
afterAll(async () => {
  await server?.close();
  await up?.close();
});

async function admin(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const res = await fetch(`${server.url}/admin/api${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${init.token ?? ADMIN}` },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text.startsWith('{') ? JSON.parse(text) : text };
}

const issue = async (body: Record<string, unknown>) => {
  const res = await admin('/keys', { body: { name: 'test key', ...body } });
  expect(res.status).toBe(201);
  return res.body as { id: string; key: string; prefix: string };
};
const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0 });

describe('gateway: issued keys with the official openai client', () => {
  it('issues a key shown once, lists keys without it, and hides the admin API from a wrong token', async () => {
    const k = await issue({ name: 'billing test', rpm: 30, daily_usd: 2, models: [PAID] });
    expect(k.key).toMatch(/^lc_[0-9A-Za-z]{43}$/);
    expect(k.prefix).toBe(k.key.slice(0, 11));
    const list = await admin('/keys');
    expect(list.text).not.toContain(k.key);
    expect(list.text).not.toContain('"hash"');
    expect(list.body.keys.find((x: any) => x.id === k.id)).toMatchObject({
      name: 'billing test',
      rpm: 30,
      daily_usd: 2,
      models: [PAID],
      state: 'active',
      max_concurrent: 10,
    });
    expect((await admin('/keys', { token: 'wrong' })).status).toBe(401);
    expect((await admin('/keys', { body: { name: '' } })).status).toBe(422);
  });

  it('lists the key\u2019s models, answers a completion with usage and cost headers, and streams with usage last', async () => {
    const { key } = await issue({ models: [PAID, FREE] });
    const openai = client(key);
    const models = await openai.models.list();
    expect(models.data.map((m) => m.id).sort()).toEqual([PAID, FREE].sort());

    const { data, response } = await openai.chat.completions
      .create({ model: PAID, messages: [{ role: 'user', content: 'hello gateway' }], max_tokens: 50 })
      .withResponse();
    expect(data.choices[0]!.message.content).toBe('Echo: hello gateway');
    expect(data.object).toBe('chat.completion');
    expect(data.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
    expect(response.headers.get('x-labcoat-model')).toBe(PAID);
    expect(response.headers.get('x-labcoat-provider')).toBe(new URL(up.url).host);
    expect(Number(response.headers.get('x-labcoat-cost-usd'))).toBeGreaterThan(0);

    const stream = await openai.chat.completions.create({
      model: PAID,
      messages: [{ role: 'user', content: 'stream me please' }],
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: unknown = null;
    let chunks = 0;
    for await (const c of stream) {
      chunks++;
      text += c.choices[0]?.delta?.content ?? '';
      if (c.usage) usage = c.usage;
    }
    expect(text).toBe('Echo: stream me please');
    expect(chunks).toBeGreaterThan(3);
    expect(usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) });
  });

  it('answers a model the key may not use as OpenAI does (404 model_not_found), and a bad key with 401', async () => {
    const { key } = await issue({ models: [FREE] });
    const err = await client(key)
      .chat.completions.create({ model: PAID, messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe('model_not_found');
    expect(err.error).toMatchObject({ type: 'invalid_request_error', code: 'model_not_found', message: expect.stringContaining(PAID) });
    const unknown = await fetch(`${server.url}/v1/embeddings`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error).toMatchObject({ type: 'invalid_request_error', code: 'not_found' });
    const bad = await client(`lc_${'x'.repeat(43)}`)
      .models.list()
      .catch((e) => e);
    expect(bad).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(bad.code).toBe('invalid_api_key');
  });

  it('limits a key by its rpm (429 with Retry-After), not by the per-IP limits of anonymous visitors', async () => {
    const { key } = await issue({ rpm: 3 });
    const openai = client(key);
    for (let i = 0; i < 3; i++) await openai.chat.completions.create({ model: FREE, messages: [{ role: 'user', content: `n${i}` }] });
    const err = await openai.chat.completions.create({ model: FREE, messages: [{ role: 'user', content: 'one too many' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.code).toBe('rate_limit_exceeded');
    expect(Number(err.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('stops a revoked key at once with 401', async () => {
    const { id, key } = await issue({});
    const openai = client(key);
    await openai.models.list();
    expect((await admin(`/keys/${id}`, { method: 'DELETE' })).body).toMatchObject({ state: 'revoked', enabled: false });
    const err = await openai.models.list().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('spends exactly a key\u2019s daily budget under 100 parallel requests, never more', async () => {
    const request = { messages: [{ role: 'user' as const, content: 'budget probe' }], max_tokens: 100 };
    const worst = server.app.metered.worstCase(
      { target: { baseUrl: up.url, apiKey: 'k', model: PAID }, fallbacks: [], mode: 'issued', session: null, key: null },
      request,
    )!;
    // The upstream bills each call its worst case, so ten calls' worth is exactly ten calls.
    const billing = startFakeUpstream({ latencyMs: 30, respond: () => ({ kind: 'ok', usage: { prompt_tokens: 10, completion_tokens: 10, cost: worst } }) });
    const b = await billing;
    const own = await startTestServer({
      env: { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: b.url, ADMIN_TOKEN: ADMIN },
      config: { cost_control: { allowed_models: { development: [PAID] }, tiers: { anonymous: [] } } },
    });
    try {
      const res = await fetch(`${own.url}/admin/api/keys`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify({ name: 'ten calls', daily_usd: worst * 10, rpm: 10_000, max_concurrent: 500 }),
      });
      const { key, id } = (await res.json()) as { key: string; id: string };
      const openai = new OpenAI({ apiKey: key, baseURL: `${own.url}/v1`, maxRetries: 0 });
      const outcomes = await Promise.all(
        Array.from({ length: 100 }, () =>
          openai.chat.completions.create({ model: PAID, ...request }).then(
            () => 'ok',
            (e) => e.code as string,
          ),
        ),
      );
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(10);
      expect(new Set(outcomes.filter((o) => o !== 'ok'))).toEqual(new Set(['key_daily_limit']));
      expect(b.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(10);
      const usage = (await (await fetch(`${own.url}/admin/api/usage?key=${id}`, { headers: { Authorization: `Bearer ${ADMIN}` } })).json()) as any;
      expect(usage.totals.requests).toBe(100);
      expect(usage.totals.errors).toBe(90); // the refusals, recorded so the owner sees them
      expect(usage.totals.usd).toBeCloseTo(worst * 10, 8);
      expect(usage.totals.usd).toBeLessThanOrEqual(worst * 10 + 1e-9);
    } finally {
      await own.close();
      await b.close();
    }
  });

  it('ends a stream that breaks upstream with an error event the client raises, and books what was charged', async () => {
    const { id, key } = await issue({});
    up.enqueue({ kind: 'midstream_fail', afterChunks: 2, content: 'one two three four' });
    const stream = await client(key).chat.completions.create({ model: PAID, messages: [{ role: 'user', content: 'cut me' }], max_tokens: 40, stream: true });
    let text = '';
    const err = await (async () => {
      for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    })().catch((e) => e);
    expect(text).toBe('one two ');
    expect(err).toBeInstanceOf(OpenAI.APIError);
    const usage = (await client(key).get('/usage')) as any;
    expect(usage.today[PAID]).toMatchObject({ requests: 1, errors: 1 });
    expect(usage.today[PAID].usd).toBeGreaterThan(0);
    const rows = parse((await admin(`/usage?format=csv&key=${id}`)).text, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([expect.objectContaining({ key_id: id, model: PAID, requests: '1', errors: '1' })]);
  });

  it('never writes an issued key in clear to the logs or the state file', async () => {
    const { key } = await issue({});
    await client(key).chat.completions.create({ model: FREE, messages: [{ role: 'user', content: 'leak check' }] });
    await client(`${key.slice(0, -1)}Z`)
      .models.list()
      .catch(() => undefined);
    await server.store.flush();
    const disk = await readFile(join(server.dataDir, 'state.json'), 'utf8');
    for (const text of [disk, ...server.logs]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(3, 30));
    }
  });
});

describe('gateway: what OpenAI clients rely on', () => {
  it('refuses fields it cannot honour with 400 and the param, and passes sampling fields through', async () => {
    const { key } = await issue({});
    const openai = client(key);
    const tools = await openai.chat.completions
      .create({ model: PAID, messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f' } }] })
      .catch((e) => e);
    expect(tools).toBeInstanceOf(OpenAI.BadRequestError);
    expect(tools.error).toMatchObject({ code: 'unsupported_parameter', param: 'tools', type: 'invalid_request_error' });
    const many = await openai.chat.completions.create({ model: PAID, messages: [{ role: 'user', content: 'x' }], n: 3 }).catch((e) => e);
    expect(many).toBeInstanceOf(OpenAI.BadRequestError);
    expect(many.error.param).toBe('n');
    await openai.chat.completions.create({
      model: PAID,
      messages: [{ role: 'user', content: 'sampled' }],
      top_p: 0.5,
      stop: ['END'],
      seed: 7,
      presence_penalty: 0.1,
    });
    expect(up.requests.at(-1)!.body).toMatchObject({ top_p: 0.5, stop: ['END'], seed: 7, presence_penalty: 0.1 });
    const raw = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: '{"model": ',
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as any).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json', param: null });
  });

  it('tells the default client not to wait hours for a reset (x-should-retry), and still rejects at once', async () => {
    const { key } = await issue({ daily_usd: 0.00000001 });
    const openai = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1` }); // default retries
    const before = up.requests.length;
    const err = await openai.chat.completions.create({ model: PAID, messages: [{ role: 'user', content: 'x' }], max_tokens: 5 }).catch((e) => e);
    expect(err.code).toBe('key_request_too_costly');
    expect(err.headers.get('x-should-retry')).toBe('false');
    expect(up.requests.length).toBe(before);
  });

  it('answers the Space\u2019s own provider refusing its key as 503, not as the caller\u2019s key failing', async () => {
    const { key } = await issue({});
    up.enqueue({ kind: 'error', status: 401 });
    const err = await client(key)
      .chat.completions.create({ model: PAID, messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect([err.status, err.code]).toEqual([503, 'upstream_account_problem']);
  });

  it('never serves one key another key\u2019s cached answer', async () => {
    const a = await issue({});
    const b = await issue({});
    const ask = { model: FREE, messages: [{ role: 'user' as const, content: 'cache scope probe' }], temperature: 0 };
    const before = up.requests.length;
    await client(a.key).chat.completions.create(ask);
    await client(a.key).chat.completions.create(ask); // the same key may reuse it
    await client(b.key).chat.completions.create(ask);
    expect(up.requests.length - before).toBe(2);
  });
});

describe('gateway: its own HTTP handling (no Express on /v1)', () => {
  const v1 = (path: string, init: RequestInit = {}) => fetch(`${server.url}/v1${path}`, init);

  it('echoes a request id, logs one line with it (never the key), answers HEAD, a trailing slash, 405 and 404 in OpenAI\u2019s shape', async () => {
    const { key } = await issue({ models: [FREE] });
    const auth = { Authorization: `Bearer ${key}` };
    const res = await v1('/models', { headers: { ...auth, 'X-Request-ID': 'req-gateway-0001' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('req-gateway-0001');
    await vi.waitFor(() => expect(server.logs.find((l) => l.includes('req-gateway-0001') && l.includes('request completed'))).toBeDefined());
    const line = JSON.parse(server.logs.find((l) => l.includes('req-gateway-0001'))!);
    expect(line).toMatchObject({ req: { method: 'GET', url: '/v1/models' }, res: { status: 200 }, ip: expect.any(String) });
    expect(server.logs.join('')).not.toContain(key);

    const head = await v1('/models', { method: 'HEAD', headers: auth });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await v1('/models/', { headers: auth })).status).toBe(200);

    const wrongMethod = await v1('/models', { method: 'POST', headers: auth });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    expect(((await wrongMethod.json()) as any).error).toMatchObject({ type: 'invalid_request_error', code: 'method_not_allowed' });
    const missing = await v1('/embeddings', { method: 'POST', headers: auth });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error).toMatchObject({ code: 'not_found', param: null });
  });

  it('logs and counts a caller that hung up before its answer as 499, with its address', async () => {
    const { key } = await issue({ models: [FREE] });
    const before = up.requests.length;
    up.setLatency(2000);
    try {
      const abort = new AbortController();
      const pending = v1('/chat/completions', {
        method: 'POST',
        signal: abort.signal,
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'X-Request-ID': 'req-gateway-hangup1' },
        body: JSON.stringify({ model: FREE, messages: [{ role: 'user', content: 'slow one' }] }),
      }).catch(() => undefined);
      await vi.waitFor(() => expect(up.requests.length).toBeGreaterThan(before));
      abort.abort();
      await pending;
      await vi.waitFor(() => expect(server.logs.find((l) => l.includes('req-gateway-hangup1'))).toBeDefined());
      const line = JSON.parse(server.logs.find((l) => l.includes('req-gateway-hangup1'))!);
      expect(line).toMatchObject({ msg: 'request aborted', res: { status: 499 }, ip: expect.stringContaining('127.0.0.1') });
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/v1\/chat\/completions"[^}]*status="499"/);
    } finally {
      up.setLatency(5);
    }
  });

  it('refuses a body over the limit (413) or in an encoding it cannot read (415), in OpenAI\u2019s shape, reads gzip, and counts requests by route in /metrics', async () => {
    const { key } = await issue({ models: [FREE] });
    const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
    const big = JSON.stringify({ model: FREE, messages: [{ role: 'user', content: 'x'.repeat(300 * 1024) }] });
    const tooLarge = await v1('/chat/completions', { method: 'POST', headers, body: big });
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as any).error).toMatchObject({ code: 'payload_too_large', type: 'invalid_request_error' });
    const compress = await v1('/chat/completions', { method: 'POST', headers: { ...headers, 'Content-Encoding': 'compress' }, body: '{}' });
    expect(compress.status).toBe(415);
    expect(((await compress.json()) as any).error.code).toBe('unsupported_encoding');
    // gzip is read (as on the other routes); the limit applies to the inflated body, and broken data is a 400.
    const small = gzipSync(JSON.stringify({ model: FREE, messages: [{ role: 'user', content: 'zipped' }] }));
    const zipped = await v1('/chat/completions', { method: 'POST', headers: { ...headers, 'Content-Encoding': 'gzip' }, body: small });
    expect(zipped.status).toBe(200);
    expect(((await zipped.json()) as any).choices[0].message.content).toBe('Echo: zipped');
    const bomb = await v1('/chat/completions', { method: 'POST', headers: { ...headers, 'Content-Encoding': 'gzip' }, body: gzipSync(big) });
    expect(bomb.status).toBe(413);
    const broken = await v1('/chat/completions', { method: 'POST', headers: { ...headers, 'Content-Encoding': 'gzip' }, body: 'not gzip at all' });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as any).error.code).toBe('invalid_body');
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/v1\/chat\/completions"[^}]*status="413"/);
  });
});

describe('gateway: time', () => {
  it('dates completions and chunks by the app\u2019s clock', async () => {
    const clock = new FakeClock('2026-11-23T12:00:00Z');
    const own = await startTestServer({
      clock,
      env: { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: up.url, ADMIN_TOKEN: ADMIN },
      config: { cost_control: { allowed_models: { development: [FREE] } } },
    });
    try {
      const created = await fetch(`${own.url}/admin/api/keys`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify({ name: 'clock' }),
      });
      const openai = new OpenAI({ apiKey: ((await created.json()) as { key: string }).key, baseURL: `${own.url}/v1`, maxRetries: 0 });
      const at = Date.parse('2026-11-23T12:00:00Z') / 1000;
      expect((await openai.chat.completions.create({ model: FREE, messages: [{ role: 'user', content: 'when' }] })).created).toBe(at);
      for await (const chunk of await openai.chat.completions.create({ model: FREE, messages: [{ role: 'user', content: 'when' }], stream: true }))
        expect(chunk.created).toBe(at);
    } finally {
      await own.close();
    }
  });
});

describe('gateway: a crash', () => {
  it('bills an issued key for a call cut off by a crash, as the ledger charges it', async () => {
    const dir = await makeTempDir('labcoat-gateway-crash-');
    const env = { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: up.url, ADMIN_TOKEN: ADMIN };
    const config = { cost_control: { allowed_models: { development: [PAID] } } };
    try {
      const first = await startTestServer({ env, config, dataDir: dir.path });
      const created = await fetch(`${first.url}/admin/api/keys`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify({ name: 'crash' }),
      });
      const { id } = (await created.json()) as { id: string };
      await first.close();
      // What a crash leaves: a reservation that reached only the journal, its call possibly billed.
      const state = JSON.parse(await readFile(join(dir.path, 'state.json'), 'utf8'));
      const day = new Date().toISOString().slice(0, 10);
      const line = { seq: (state.ledger.journal_seq ?? 0) + 1, id: 'crashed-1', usd: 0.0125, day, at: Date.now(), model: PAID, session: null, key: id };
      await appendFile(join(dir.path, 'reservations.journal'), `${JSON.stringify(line)}\n`);
      const second = await startTestServer({ env, config, dataDir: dir.path });
      try {
        const usage = (await (await fetch(`${second.url}/admin/api/usage?key=${id}`, { headers: { Authorization: `Bearer ${ADMIN}` } })).json()) as any;
        expect(usage.rows).toEqual([expect.objectContaining({ day, key_id: id, model: PAID, requests: 1, errors: 1, usd: 0.0125 })]);
        expect(second.store.data.ledger.days[day]!.by_key[id]!.usd).toBe(0.0125);
      } finally {
        await second.close();
      }
    } finally {
      await dir.cleanup();
    }
  });
});

describe('gateway: key guessing', () => {
  it('answers an address past 30 refused keys in a minute with 429 and Retry-After, a right key included, on /v1 and the admin API alike', async () => {
    const own = await startTestServer({
      env: { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: up.url, ADMIN_TOKEN: ADMIN },
      config: { cost_control: { allowed_models: { development: [FREE] } } },
    });
    try {
      const created = await fetch(`${own.url}/admin/api/keys`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify({ name: 'right' }),
      });
      const { key } = (await created.json()) as { key: string };
      const models = (apiKey: string) => fetch(`${own.url}/v1/models`, { headers: { Authorization: `Bearer ${apiKey}` } });
      for (let i = 0; i < 20; i++) expect((await models(`lc_wrong${i}`)).status).toBe(401);
      expect((await models(key)).status).toBe(200); // successes never count
      for (let i = 0; i < 10; i++)
        expect((await fetch(`${own.url}/admin/api/keys`, { headers: { Authorization: 'Bearer wrong-admin-token' } })).status).toBe(401);
      const refused = await models(key);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await refused.json()) as any).error).toMatchObject({ code: 'too_many_failed_authentications', type: 'requests' });
      expect((await fetch(`${own.url}/admin/api/keys`, { headers: { Authorization: `Bearer ${ADMIN}` } })).status).toBe(429);
    } finally {
      await own.close();
    }
  });
});

describe('gateway: admin API without ADMIN_TOKEN', () => {
  it('answers 404, as if it did not exist', async () => {
    const plain = await startTestServer();
    try {
      const res = await fetch(`${plain.url}/admin/api/keys`, { headers: { Authorization: 'Bearer anything' } });
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('gateway: routing to other providers', () => {
  it('sends a model named under a provider there, with its key and its own id; prices and books it by the gateway id', async () => {
    const main = await startFakeUpstream();
    const groq = await startFakeUpstream({ requireKey: 'gsk-provider-key-0123456789' });
    const own = await startTestServer({
      env: { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: main.url, ADMIN_TOKEN: ADMIN, GROQ_API_KEY: 'gsk-provider-key-0123456789' },
      config: {
        cost_control: {
          allowed_models: { development: [PAID, 'groq/llama-fast', 'other/no-key'] },
          tiers: { anonymous: [] },
          assumed_prices: { 'groq/llama-fast': { input: 0.05, output: 0.08 }, 'other/no-key': { input: 1, output: 1 } },
        },
        gateway: {
          providers: {
            groq: { base_url: groq.url, key_env: 'GROQ_API_KEY', models: { 'groq/llama-fast': 'llama-3.1-8b-instant' } },
            other: { base_url: groq.url, key_env: 'OTHER_API_KEY', models: { 'other/no-key': 'x' } },
          },
        },
      },
    });
    try {
      const res = await fetch(`${own.url}/admin/api/keys`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify({ name: 'router' }),
      });
      const { key, id } = (await res.json()) as { key: string; id: string };
      const openai = new OpenAI({ apiKey: key, baseURL: `${own.url}/v1`, maxRetries: 0 });
      expect((await openai.models.list()).data.map((m) => m.id).sort()).toEqual(['groq/llama-fast', 'openai/gpt-4o-mini', 'other/no-key']);
      const { data, response } = await openai.chat.completions
        .create({ model: 'groq/llama-fast', messages: [{ role: 'user', content: 'route me' }], max_tokens: 20 })
        .withResponse();
      expect(data.model).toBe('groq/llama-fast');
      expect(response.headers.get('x-labcoat-provider')).toBe('groq');
      const sent = groq.requests.filter((r) => r.path === '/v1/chat/completions');
      expect(sent.map((r) => r.body.model)).toEqual(['llama-3.1-8b-instant']);
      expect(main.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
      // Priced from the assumed price of the gateway id: tokens × price, booked under that id.
      const expected = (data.usage!.prompt_tokens * 0.05 + data.usage!.completion_tokens * 0.08) / 1e6;
      expect(Number(response.headers.get('x-labcoat-cost-usd'))).toBeCloseTo(expected, 10);
      const usage = (await (await fetch(`${own.url}/admin/api/usage?key=${id}`, { headers: { Authorization: `Bearer ${ADMIN}` } })).json()) as any;
      expect(usage.rows.map((r: any) => r.model)).toEqual(['groq/llama-fast']);
      const missing = await openai.chat.completions.create({ model: 'other/no-key', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
      expect([missing.status, missing.code]).toEqual([503, 'provider_key_missing']);
    } finally {
      await own.close();
      await main.close();
      await groq.close();
    }
  });
});
