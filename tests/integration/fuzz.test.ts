/**
 * Malformed input at every route answers 4xx in the one error shape and never takes the process
 * down: seeded property-based fuzzing (fast-check) of paths, headers and bodies against one real
 * server, plus what Node's HTTP parser itself refuses (raw sockets).
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { TestSocket } from '../helpers/ws-client.js';

vi.setConfig({ testTimeout: 60_000 });

const ADMIN = 'admin-token-for-fuzz-0123456789';
const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const GATEWAY_PATH = /^\/v1(\/|\?|$)/i;
/** Seeded, so a failure replays; FUZZ_SEED / FUZZ_RUNS explore further by hand. */
const SEED = Number(process.env.FUZZ_SEED ?? 42);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1);

let up: FakeUpstream;
let srv: TestServer;
/** An issued /v1 key, so gateway requests get as far as their body. */
let lcKey = '';

beforeAll(async () => {
  up = await startFakeUpstream({ latencyMs: 1 });
  srv = await startTestServer({
    env: { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: up.url, ADMIN_TOKEN: ADMIN },
    // One trusted proxy hop: each request's X-Forwarded-For is its own address, so refused keys from one
    // do not lock every later /v1 and admin request out (too_many_failed_authentications).
    config: { server: { trust_proxy: 1 }, cost_control: { allowed_models: { development: [FREE] }, tiers: { anonymous: [FREE] } } },
  });
  const issued = await send(srv, {
    method: 'POST',
    path: '/admin/api/keys',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ name: 'fuzz' })),
  });
  expect(issued.status).toBe(201);
  lcKey = (JSON.parse(issued.text) as { key: string }).key;
});
afterAll(async () => {
  await srv?.close();
  await up?.close();
});

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}
interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** node:http, which sends what fetch refuses (bad percent-encoding, odd methods, Latin-1 header values, bodies with any encoding). */
function send(server: TestServer, req: Sent): Promise<Answer> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    let answered = false;
    // Keep-alive: the server then reads off a body it did not need, where closing on it could reset the answer away.
    const r = request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers: { connection: 'keep-alive', ...req.headers }, agent: false },
      (res) => {
        answered = true;
        const contentType = String(res.headers['content-type'] ?? '');
        // A stream (SSE) never ends by itself: its status and type are the answer.
        if (contentType.startsWith('text/event-stream')) {
          resolve({ status: res.statusCode ?? 0, contentType, text: '' });
          r.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, contentType, text: Buffer.concat(chunks).toString('utf8') });
          r.destroy();
        });
        res.on('error', reject);
      },
    );
    r.setTimeout(15_000, () => r.destroy(new Error(`no answer in 15 s: ${req.method} ${req.path.slice(0, 200)}`)));
    r.on('error', (err) => (answered ? undefined : reject(err)));
    r.end(req.body);
  });
}

/** The one error shape: `{error:{code,message}}`, or OpenAI's `{error:{message,type,param,code}}` under /v1. */
function expectErrorShape(path: string, a: Answer, where: string): void {
  const body = JSON.parse(a.text) as { error?: Record<string, unknown> };
  expect(Object.keys(body), where).toEqual(['error']);
  const e = body.error!;
  expect(typeof e.code === 'string' && /^[a-z0-9_]+$/.test(e.code), where).toBe(true);
  expect(typeof e.message === 'string' && e.message.length > 5, where).toBe(true);
  if (GATEWAY_PATH.test(path)) {
    expect(typeof e.type, where).toBe('string');
    expect(e.param === null || typeof e.param === 'string', where).toBe(true);
  }
  expect(a.text, where).not.toMatch(/at .*\.(ts|js):\d+/);
}

function check(req: Sent, a: Answer): void {
  const where = `${req.method} ${req.path.slice(0, 300)} ${JSON.stringify(req.headers).slice(0, 300)} → ${a.status} ${a.text.slice(0, 300)}`;
  expect(a.status, where).toBeGreaterThanOrEqual(100);
  expect(a.status, where).toBeLessThan(500); // the upstream is healthy: no 5xx at all
  if (a.status < 400 || req.method === 'HEAD') return;
  const api = /^\/(api|v1|admin\/api)(\/|\?|$)/i.test(req.path);
  if (api) expect(a.contentType, where).toMatch(/^application\/json/);
  if (a.contentType.startsWith('application/json')) expectErrorShape(req.path, a, where);
}

/** Every route the Express app declares (walked from its router), plus the gateway's own /v1 routes. */
function declaredRoutes(server: TestServer): Array<{ path: string; methods: string[] }> {
  interface Layer {
    rawPath?: string | string[];
    route?: { path: string | string[]; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
  }
  const out = new Map<string, Set<string>>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const p of [layer.route.path].flat()) {
          const methods = out.get(prefix + p) ?? new Set<string>();
          for (const m of Object.keys(layer.route.methods)) if (m !== '_all') methods.add(m.toUpperCase());
          out.set(prefix + p, methods);
        }
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((server.app.express as unknown as { router: { stack: Layer[] } }).router.stack, '');
  for (const [path, method] of [
    ['/v1/models', 'GET'],
    ['/v1/usage', 'GET'],
    ['/v1/chat/completions', 'POST'],
  ] as const)
    out.set(path, new Set([method]));
  return [...out].map(([path, methods]) => ({ path, methods: [...methods] }));
}

const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return 'lone%20surrogate'; // encodeURIComponent refuses half a surrogate pair
  }
};
const latin1 = (max: number) =>
  fc.string({
    unit: fc
      .integer({ min: 0x20, max: 0xff })
      .filter((c) => c !== 0x7f)
      .map((c) => String.fromCharCode(c)),
    maxLength: max,
  });

/** Path ids: plausible, random, percent-encoded random bytes (mostly invalid UTF-8), malformed escapes, overlong. */
const idArb = fc.oneof(
  fc.constantFrom(
    'x',
    'run_1',
    'bs_x',
    'job_1',
    'k_1',
    '0',
    '-1',
    '..',
    '%2e%2e',
    '%ff',
    '%E0%A4%A',
    '%',
    '%%',
    '%00',
    '%c0%af',
    '__proto__',
    'constructor',
    '%2F',
    'a%2Fb',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }).map(encode),
  fc.array(fc.nat(255), { minLength: 1, maxLength: 16 }).map((bytes) => bytes.map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
  fc.stringMatching(/^[%0-9a-fA-Fz]{1,12}$/),
  fc.integer({ min: 300, max: 9000 }).map((n) => 'a'.repeat(n)),
);
const queryArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  fc.constantFrom(
    '?topics=queue',
    '?topics=%ff',
    '?topics=job:x,research:y,batch:z',
    '?format=csv',
    '?format=json',
    '?format=%ff&x=1',
    '?day=9999-99-99',
    '?from=x&to=y',
    '?a=1&a=2',
    '?%zz=%zz',
  ),
  fc.string({ unit: 'binary', maxLength: 60 }).map((s) => `?${encode(s)}=${encode(s)}`),
);
/** Placeholders the run fills in: the admin token and the issued key are known only once the server is up. */
const authArb = fc.option(
  fc.oneof(
    fc.constantFrom(
      'Bearer <ADMIN>',
      'Bearer <LC_KEY>',
      'Bearer ',
      'Bearer',
      'Basic Zm9vOmJhcg==',
      'Bearer lc_',
      'Bearer sk-or-v1-0123456789abcdef0123456789',
      'bearer  <LC_KEY>  ',
    ),
    latin1(80),
    latin1(80).map((s) => `Bearer ${s}`),
    fc.string({ maxLength: 600 }).map((s) => `Bearer lc_${s}`),
  ),
  { nil: undefined },
);
const contentTypeArb = fc.option(
  fc.oneof(
    { weight: 4, arbitrary: fc.constant('application/json') },
    fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=bogus',
      'application/vnd.api+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'text/csv',
      ';;;',
      'application/json; charset=',
    ),
    latin1(40),
  ),
  { nil: undefined },
);
const headersArb = fc.record(
  {
    authorization: authArb,
    'content-type': contentTypeArb,
    'x-session-id': fc.option(fc.oneof(latin1(120), fc.constantFrom('s_x', '..', 'a'.repeat(5000))), { nil: undefined }),
    'x-request-id': fc.option(latin1(100), { nil: undefined }),
    cookie: fc.option(fc.oneof(latin1(200), fc.constantFrom('labcoat_sid=%ff', 'labcoat_sid=x; labcoat_sid=y')), { nil: undefined }),
    accept: fc.option(fc.constantFrom('application/json', 'text/event-stream', 'text/csv', '*/*', 'text/html'), { nil: undefined }),
    'accept-encoding': fc.option(fc.constantFrom('gzip', 'br', 'deflate', 'identity;q=0', '*', 'zstd'), { nil: undefined }),
    // Mostly the real one: a foreign Host (421) or Origin (403) is refused before anything else is looked at.
    host: fc.oneof(
      { weight: 12, arbitrary: fc.constant(undefined) },
      fc.constantFrom('', 'evil.example', 'localhost', '127.0.0.1:1', '[::1]', '0x7f.1', 'a'.repeat(300)),
      latin1(30),
    ),
    origin: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, fc.constantFrom('null', 'http://evil.example', 'http://127.0.0.1')),
  },
  { requiredKeys: [] },
);
const forwardedArb = fc.oneof({ weight: 9, arbitrary: fc.ipV4() }, fc.ipV6(), latin1(60));

/** Bodies: JSON (random or shaped like a route's), random bytes, truncated or corrupt gzip/deflate/br with matching Content-Encoding. */
const shapedArb = fc.record(
  {
    model: fc.oneof(fc.constant(FREE), fc.string(), fc.jsonValue({ maxDepth: 1 })),
    messages: fc.oneof(
      fc.array(
        fc.record({
          role: fc.constantFrom('user', 'system', 'assistant', 'tool', 'x'),
          content: fc.oneof(fc.string({ maxLength: 40 }), fc.jsonValue({ maxDepth: 1 })),
        }),
        { maxLength: 3 },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    max_tokens: fc.oneof(fc.integer(), fc.double(), fc.string()),
    stream: fc.oneof(fc.boolean(), fc.string()),
    goal: fc.string({ unit: 'binary', maxLength: 200 }),
    name: fc.string({ unit: 'binary', maxLength: 100 }),
    api_key: fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), latin1(40)),
    // No host names: nothing here may reach DNS; private and malformed addresses are refused before any call.
    base_url: fc.constantFrom('http://127.0.0.1:1/v1', 'http://[::1]/v1', 'ftp://x', 'not a url', '', 'http://10.0.0.1/v1'),
    format: fc.constantFrom('json', 'csv', 'xml', ''),
    text: fc.string({ maxLength: 200 }),
    topics: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);
const jsonTextArb = fc.oneof(
  fc.json({ maxDepth: 4 }),
  shapedArb.map((o) => JSON.stringify(o)),
);
const CODECS = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const;
const bodyArb: fc.Arbitrary<{ bytes?: Buffer; encoding?: string }> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({}) },
  { weight: 4, arbitrary: jsonTextArb.map((t) => ({ bytes: Buffer.from(t) })) },
  fc.uint8Array({ maxLength: 2000 }).map((b) => ({ bytes: Buffer.from(b) })),
  {
    weight: 3,
    arbitrary: fc
      .tuple(jsonTextArb, fc.constantFrom('gzip', 'deflate', 'br'), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean())
      .map(([t, enc, cut, corrupt]) => {
        const full = CODECS[enc as keyof typeof CODECS](Buffer.from(t));
        const bytes = corrupt
          ? Buffer.from(full.map((b, i) => (i === Math.floor(full.length / 2) ? b ^ 0xff : b)))
          : full.subarray(0, Math.floor(full.length * cut));
        return { bytes, encoding: enc };
      }),
  },
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 500 }), fc.constantFrom('gzip', 'deflate', 'br', 'zstd', 'compress', 'identity', 'gzip, br', 'GZIP', 'x'))
    .map(([b, encoding]) => ({ bytes: Buffer.from(b), encoding })),
  fc.integer({ min: 50_000, max: 300_000 }).map((n) => ({ bytes: Buffer.from(JSON.stringify({ pad: 'x'.repeat(n) })) })),
);

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function fill(template: string, ids: string[]): string {
  let i = 0;
  return template.replace(/:\w+/g, () => ids[i++ % ids.length] ?? 'x');
}

interface Extra {
  forwarded: string;
  /** How the body is framed: node:http sends no length for a GET's body unless told (then it is not HTTP). */
  chunked: boolean;
}
const extraArb: fc.Arbitrary<Extra> = fc.record({ forwarded: forwardedArb, chunked: fc.boolean() });

/** A method: a number picks one of the route's own (most runs), a name is sent as it is. */
const methodArb = fc.oneof({ weight: 3, arbitrary: fc.nat(9) }, fc.constantFrom(...METHODS));

function build(
  route: { path: string; methods: string[] },
  ids: string[],
  query: string,
  method: number | string,
  headers: Record<string, string | undefined>,
  body: { bytes?: Buffer; encoding?: string },
  extra: Extra,
): Sent {
  const h: Record<string, string> = { 'x-forwarded-for': extra.forwarded };
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) h[k] = v.replace('<ADMIN>', ADMIN).replace('<LC_KEY>', lcKey);
  if (body.encoding) h['content-encoding'] = body.encoding;
  if (body.bytes) h[extra.chunked ? 'transfer-encoding' : 'content-length'] = extra.chunked ? 'chunked' : String(body.bytes.length);
  return {
    method: typeof method === 'string' ? method : (route.methods[method % route.methods.length] ?? 'GET'),
    path: fill(route.path, ids) + query,
    headers: h,
    ...(body.bytes ? { body: body.bytes } : {}),
  };
}

describe('malformed input answers 400, never 500', () => {
  const gz = gzipSync(Buffer.from(JSON.stringify({ model: FREE, messages: [{ role: 'user', content: 'x'.repeat(300) }] })));
  const broken: Array<[string, Buffer]> = [
    ['gzip', gz.subarray(0, gz.length - 8)],
    ['gzip', Buffer.from('not gzip at all')],
    ['deflate', Buffer.from('not deflate')],
    ['br', Buffer.from('not brotli, not at all')],
  ];

  it('a bad percent-encoding in a path id → 400 invalid_path', async () => {
    for (const path of [
      '/api/research/runs/%ff',
      '/api/research/runs/%E0%A4%A/cycles',
      '/api/jobs/%c0',
      '/api/batch/runs/%ff/export',
      '/api/batch/sessions/%',
      '/admin/api/keys/%ff',
    ]) {
      const a = await send(srv, { method: path.startsWith('/api/batch/sessions') ? 'DELETE' : 'GET', path, headers: { authorization: `Bearer ${ADMIN}` } });
      expect(a.status, path).toBe(400);
      expect(JSON.parse(a.text).error.code, path).toBe('invalid_path');
    }
  });

  it('a truncated or corrupt compressed body → 400 invalid_body on Express routes, as on /v1', async () => {
    for (const [encoding, bytes] of broken) {
      for (const [path, auth] of [
        ['/api/chat', undefined],
        ['/api/research/runs', undefined],
        ['/api/batch/connect', undefined],
        ['/admin/api/keys', ADMIN],
        ['/v1/chat/completions', lcKey],
      ] as const) {
        const a = await send(srv, {
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', 'content-encoding': encoding, ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
          body: bytes,
        });
        expect(a.status, `${encoding} ${path}`).toBe(400);
        expectErrorShape(path, a, `${encoding} ${path}`);
        expect(JSON.parse(a.text).error.code, `${encoding} ${path}`).toBe('invalid_body');
      }
    }
    expect(srv.logs.filter((l) => l.includes('"msg":"unhandled error"'))).toEqual([]);
  });
});

describe('fuzz: every route, random paths, headers and bodies', () => {
  it('finds the routes of every router', () => {
    const paths = declaredRoutes(srv).map((r) => r.path);
    for (const p of [
      '/health',
      '/api/events',
      '/api/research/runs/:id/hypotheses/:hid',
      '/api/batch/runs/:id/export',
      '/api/batch/sessions/:id',
      '/admin/api/keys/:id',
      '/api/jobs/:id/cancel',
      '/v1/chat/completions',
    ])
      expect(paths).toContain(p);
    expect(paths.length).toBeGreaterThan(40);
  });

  it('answers every request below 500, every error in its shape', async () => {
    const routes = declaredRoutes(srv);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(idArb, { minLength: 1, maxLength: 2 }),
        queryArb,
        methodArb,
        headersArb,
        bodyArb,
        extraArb,
        async (route, ids, query, method, headers, body, extra) => {
          const req = build(route, ids, query, method, headers, body, extra);
          check(req, await send(srv, req));
        },
      ),
      { seed: SEED, numRuns: 700 * RUNS },
    );
  });

  it('answers paths no router declares the same way', async () => {
    const prefixArb = fc.constantFrom('/', '/api/', '/v1/', '/admin/api/', '/api/research/', '/api/batch/', '/V1/', '//', '/api//');
    await fc.assert(
      fc.asyncProperty(
        prefixArb,
        fc.array(idArb, { maxLength: 4 }),
        queryArb,
        fc.constantFrom(...METHODS),
        headersArb,
        bodyArb,
        extraArb,
        async (prefix, segments, query, method, headers, body, extra) => {
          const req = build({ path: prefix + segments.join('/'), methods: [method] }, [], query, method, headers, body, extra);
          check(req, await send(srv, req));
        },
      ),
      { seed: SEED, numRuns: 250 * RUNS },
    );
  });

  it('is still alive and logged no unhandled error', async () => {
    expect((await send(srv, { method: 'GET', path: '/health', headers: {} })).status).toBe(200);
    expect(srv.logs.filter((l) => l.includes('"msg":"unhandled error"')).map((l) => l.slice(0, 500))).toEqual([]);
  });
});

/** Raw bytes on a socket, for what no HTTP client sends; resolves with all the server wrote once it closes. */
function rawExchange(server: TestServer, chunks: string[]): Promise<string> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(url.port), url.hostname);
    let out = '';
    sock.setTimeout(10_000, () => sock.destroy(new Error('the server kept the socket open')));
    sock.on('data', (d: Buffer) => (out += d.toString('latin1')));
    sock.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
    sock.on('close', () => resolve(out));
    for (const c of chunks) sock.write(c);
  });
}

function parseRaw(text: string): { status: number; headers: string; body: unknown } {
  const [head = '', body = ''] = text.split('\r\n\r\n', 2);
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: JSON.parse(body) };
}

describe("what Node's HTTP parser refuses", () => {
  it('oversized headers → 431 request_header_too_large, a garbage request line → 400 bad_request, both JSON, connection closed', async () => {
    const big = parseRaw(await rawExchange(srv, [`GET /api/config HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`]));
    expect(big.status).toBe(431);
    expect(big.headers).toContain('content-type: application/json');
    expect(big.headers).toContain('connection: close');
    // No request line was read, so no path to pick a shape by: OpenAI's, which has code and message too.
    expect(big.body).toEqual({ error: { code: 'request_header_too_large', message: expect.any(String), type: 'invalid_request_error', param: null } });
    for (const garbage of ['GARBAGE\r\n\r\n', 'GET /api/config HTTP/9.9.9\r\n\r\n', 'GET / HTTP/1.1\r\nBad Header: y\r\n\r\n', '\x00\x01\x02\r\n\r\n']) {
      const bad = parseRaw(await rawExchange(srv, [garbage]));
      expect(bad.status, JSON.stringify(garbage)).toBe(400);
      expect(bad.body).toMatchObject({ error: { code: 'bad_request', message: 'The request is not valid HTTP.' } });
    }
    // Node's own bare 400 for a missing Host gives way to the Host guard's answer in the shape.
    const noHost = parseRaw(await rawExchange(srv, ['GET /api/config HTTP/1.1\r\nConnection: close\r\n\r\n']));
    expect(noHost.status).toBe(421);
    expect(noHost.body).toEqual({ error: { code: 'host_not_allowed', message: expect.stringContaining('no Host header') } });
    expect((await send(srv, { method: 'GET', path: '/health', headers: {} })).status).toBe(200);
  });
});

describe('slow requests', () => {
  let slow: TestServer;
  beforeAll(async () => {
    slow = await startTestServer({ env: { ADMIN_TOKEN: ADMIN } });
  });
  afterAll(() => slow?.close());

  it("bound headers and body: 20 s and 30 s in production; a stalled body gets 408 in the error shape (OpenAI's on /v1)", async () => {
    expect([slow.app.server.headersTimeout, slow.app.server.requestTimeout]).toEqual([20_000, 30_000]);
    const issued = await send(slow, {
      method: 'POST',
      path: '/admin/api/keys',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: Buffer.from('{"name":"slow"}'),
    });
    const key = (JSON.parse(issued.text) as { key: string }).key;
    // Shorter bounds for the test; Node reads them on every check (each second).
    slow.app.server.headersTimeout = 300;
    slow.app.server.requestTimeout = 600;
    const started = Date.now();
    const express = parseRaw(
      await rawExchange(slow, ['POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"model":']),
    );
    expect(express.status).toBe(408);
    expect(express.body).toEqual({ error: { code: 'request_timeout', message: expect.any(String) } });
    const gateway = parseRaw(
      await rawExchange(slow, [
        `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"model":`,
      ]),
    );
    expect(gateway.status).toBe(408);
    expect(gateway.body).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'request_timeout' } });
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('never cuts a long answer: SSE and WebSocket outlive the request timeout', async () => {
    slow.app.server.headersTimeout = 300;
    slow.app.server.requestTimeout = 600;
    const url = new URL(slow.url);
    let sse = '';
    const stream = request({ host: url.hostname, port: url.port, path: '/api/events?topics=queue', agent: false }, (res) =>
      res.on('data', (c: Buffer) => (sse += c.toString())),
    );
    stream.on('error', () => undefined);
    stream.end();
    const ws = await TestSocket.open(slow.wsUrl);
    ws.send({ type: 'subscribe', topic: 'queue' });
    await new Promise((r) => setTimeout(r, 2500)); // past the 600 ms bound and two checks
    slow.app.hub.publish('queue', { type: 'event', kind: 'still-here' });
    await ws.next((m) => m.kind === 'still-here');
    await vi.waitFor(() => expect(sse).toContain('still-here'));
    ws.close();
    stream.destroy();
  });
});
