import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { TestSocket } from '../helpers/ws-client.js';

vi.setConfig({ testTimeout: 30_000 });

const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const ADMIN = 'admin-token-for-tests-0123456789';

let up: FakeUpstream;
let srv: TestServer;
let port: number;

beforeAll(async () => {
  up = await startFakeUpstream();
  srv = await startTestServer({
    env: { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: up.url, ADMIN_TOKEN: ADMIN, ALLOW_PRIVATE_ENDPOINTS: '1' },
    config: { cost_control: { allowed_models: { development: [FREE] }, tiers: { anonymous: [FREE] } } },
  });
  port = Number(new URL(srv.url).port);
});
afterAll(async () => {
  await srv?.close();
  await up?.close();
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** node:http, since fetch cannot set Host. */
function send(
  server: TestServer,
  path: string,
  opts: { method?: string; host?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Reply> {
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { ...(body ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  if (opts.host) headers.host = opts.host;
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method: opts.method ?? 'GET', headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An HTTP/1.0 GET without a Host header (node:http refuses that in HTTP/1.1 with a 400 of its own). */
function http10(path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.0\r\n\r\n`));
    let raw = '';
    socket.on('data', (d: Buffer) => (raw += d.toString()));
    socket.on('end', () => resolve({ status: Number(raw.split(' ')[1]), text: raw.slice(raw.indexOf('\r\n\r\n') + 4) }));
    socket.on('error', reject);
  });
}

const chatBody = { model: FREE, messages: [{ role: 'user', content: 'hello' }] };
const connectBody = () => ({ base_url: up.url, api_key: 'sk-visitor-endpoint-key-0123456789', model: 'test/cheap-model' });

function expectMisdirected(reply: Reply, label: string): void {
  expect(reply.status, label).toBe(421);
  expect(reply.headers['content-type'], label).toMatch(/application\/json/);
  const { error } = JSON.parse(reply.text) as { error: { code: string; message: string } };
  expect(error.code, label).toBe('host_not_allowed');
  expect(error.message, label).toContain('server.allowed_hosts');
}

describe('DNS rebinding: a Host the server is not known by', () => {
  it('gets 421 host_not_allowed on the API, the SSE route, /v1, the admin API and the page, even with a matching Origin', async () => {
    const evil = { host: `evil.example:${port}`, headers: { origin: `http://evil.example:${port}`, authorization: `Bearer ${ADMIN}` } };
    const before = up.requests.length;
    expectMisdirected(await send(srv, '/api/chat', { ...evil, method: 'POST', body: chatBody }), 'POST /api/chat');
    expectMisdirected(await send(srv, '/api/batch/connect', { ...evil, method: 'POST', body: connectBody() }), 'POST /api/batch/connect');
    expectMisdirected(await send(srv, '/api/events?topics=queue', evil), 'GET /api/events');
    expectMisdirected(await send(srv, '/v1/models', evil), 'GET /v1/models');
    expectMisdirected(await send(srv, '/admin/api/keys', evil), 'GET /admin/api/keys');
    expectMisdirected(await send(srv, '/', evil), 'GET /');
    expectMisdirected(await send(srv, '/api/config', { host: `evil.example.:${port}` }), 'trailing dot');
    expectMisdirected(await send(srv, '/api/config', { host: `203.0.113.7:${port}` }), 'an address that is not this machine');
    expect(up.requests.length).toBe(before); // nothing reached the upstream
  });

  it('refuses the /ws upgrade with 421 in the error shape', async () => {
    const host = `evil.example:${port}`;
    await expect(TestSocket.open(srv.wsUrl, { headers: { host }, origin: `http://evil.example:${port}` })).rejects.toThrow(/421/);
    const reply = await send(srv, '/ws', {
      host,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    expectMisdirected(reply, 'GET /ws upgrade');
  });

  it('answers /health for any Host or none (probes), and refuses the API without a Host', async () => {
    expect((await send(srv, '/health', { host: `evil.example:${port}` })).status).toBe(200);
    expect((await http10('/health')).status).toBe(200);
    const api = await http10('/api/config');
    expect(api.status).toBe(421);
    expect(JSON.parse(api.text).error.code).toBe('host_not_allowed');
  });
});

describe('the names the server is known by still work', () => {
  it('localhost, with its own Origin: chat on the server key, connect, the page, /v1 and the socket', async () => {
    const local = { host: `localhost:${port}`, headers: { origin: `http://localhost:${port}` } };
    expect((await send(srv, '/api/chat', { ...local, method: 'POST', body: chatBody })).status).toBe(200);
    expect((await send(srv, '/api/batch/connect', { ...local, method: 'POST', body: connectBody() })).status).toBe(200);
    const page = await send(srv, '/', local);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    expect((await send(srv, '/v1/models', local)).status).toBe(401); // past the Host check, at the key check
    const socket = await TestSocket.open(srv.wsUrl, { headers: { host: `localhost:${port}` }, origin: `http://localhost:${port}` });
    await socket.next((m) => m.type === 'hello');
    socket.close();
  });

  it('[::1] and 127.0.0.1 with upper case and a trailing dot', async () => {
    for (const host of [`[::1]:${port}`, `LOCALHOST.:${port}`, `127.0.0.1:${port}`]) expect((await send(srv, '/api/config', { host })).status, host).toBe(200);
  });

  const lanIp = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
  it.skipIf(!lanIp)('an IP literal of this machine (a LAN run reached by IP)', async () => {
    expect((await send(srv, '/api/config', { host: `${lanIp}:${port}` })).status).toBe(200);
  });
});

describe('origins compare scheme, host and port', () => {
  it('an https Origin is not the same origin as this http server', async () => {
    const res = await send(srv, '/api/jobs/x/cancel', { method: 'POST', host: `127.0.0.1:${port}`, headers: { origin: `https://127.0.0.1:${port}` } });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).error.code).toBe('origin_not_allowed');
    await expect(TestSocket.open(srv.wsUrl, { origin: `https://127.0.0.1:${port}` })).rejects.toThrow(/403/);
    // The same request from its own origin passes the check (and finds no such job).
    expect((await send(srv, '/api/jobs/x/cancel', { method: 'POST', host: `127.0.0.1:${port}`, headers: { origin: `http://127.0.0.1:${port}` } })).status).toBe(
      404,
    );
  });

  it('on a Space: the Space host and allowed_hosts are known, https comes from the trusted proxy', async () => {
    const space = await startTestServer({
      env: { SPACE_ID: 'me/lab', SPACE_HOST: 'me-lab.hf.space' },
      config: { server: { allowed_hosts: ['lab.internal'] } },
    });
    try {
      const cancel = (host: string, origin: string, proto?: string) =>
        send(space, '/api/jobs/x/cancel', { method: 'POST', host, headers: { origin, ...(proto ? { 'x-forwarded-proto': proto } : {}) } });
      expect((await cancel('me-lab.hf.space', 'https://me-lab.hf.space', 'https')).status).toBe(404);
      expect((await cancel('lab.internal', 'https://lab.internal', 'https')).status).toBe(404);
      expect((await cancel('lab.internal', 'https://lab.internal')).status).toBe(403); // no proxy said https
      expectMisdirected(await cancel('evil.example', 'https://evil.example', 'https'), 'evil on a Space');
      expect((await send(space, '/health', { host: 'me-lab.hf.space' })).status).toBe(200);
    } finally {
      await space.close();
    }
  });
});
