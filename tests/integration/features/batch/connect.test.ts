import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../../helpers/fake-upstream.js';
import { startTestServer, type TestServer } from '../../../helpers/test-server.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const KEY = 'sk-visitor-endpoint-key-0123456789';
let up: FakeUpstream | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  await up?.close();
  server = up = undefined;
});

const connect = (body: unknown) =>
  fetch(`${server!.url}/api/batch/connect`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('batch: suites and Test connection', () => {
  it('lists the eight curated suites (80 prompts)', async () => {
    server = await startTestServer();
    const { suites } = (await (await fetch(`${server.url}/api/batch/suites`)).json()) as any;
    expect(suites).toHaveLength(8);
    expect(suites.reduce((n: number, s: any) => n + s.prompt_count, 0)).toBe(80);
    expect(suites[0]).toMatchObject({
      id: expect.any(String),
      name: expect.any(String),
      domain: expect.any(String),
      difficulty: expect.stringMatching(/^(easy|medium)$/),
    });
  });

  it('tests a local endpoint when private endpoints are allowed: latency, reply and its model list; the key stays out of logs and answers', async () => {
    up = await startFakeUpstream({ requireKey: KEY });
    server = await startTestServer({ env: { ALLOW_PRIVATE_ENDPOINTS: '1' } });
    const res = await connect({ base_url: `${up.url}/`, api_key: KEY, model: 'test/cheap-model' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ ok: true, base_url: up.url, model: 'test/cheap-model', reply: expect.stringContaining('ready') });
    expect(body.latency_ms).toBeGreaterThanOrEqual(0);
    expect(body.models).toEqual(['test/free-model', 'test/cheap-model']);
    const wrong = await connect({ base_url: up.url, api_key: 'sk-wrong-key-0000000000', model: 'test/cheap-model' });
    expect(wrong.status).toBe(401);
    const { error } = (await wrong.json()) as any;
    expect(error.code).toBe('upstream_auth_failed');
    expect(error.message).toMatch(/Check the key/);
    for (const text of [JSON.stringify(body), JSON.stringify(error), ...server.logs]) expect(text).not.toContain(KEY);
  });

  it('refuses a private endpoint on a public deployment before any request leaves', async () => {
    up = await startFakeUpstream({ requireKey: KEY });
    server = await startTestServer();
    const res = await connect({ base_url: up.url, api_key: KEY, model: 'test/cheap-model' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as any;
    expect(error.code).toBe('private_address');
    expect(error.message).toContain('ALLOW_PRIVATE_ENDPOINTS=1');
    expect(up.requests).toHaveLength(0);
    expect((await connect({ base_url: 'ftp://example.com/v1', api_key: KEY, model: 'x' })).status).toBe(400);
  });
});

describe('batch: malformed keys', () => {
  // Each would fail inside fetch as a "network error": 502 upstream_unreachable, and five of them opened the breaker.
  const BAD_KEYS = [
    'sk-\u0000nul-in-key',
    'sk-кириллица-key',
    'sk-caf\u00e9-latin1',
    'sk-key with space',
    'sk-line\nbreak',
    'sk-\u2028-separator',
    'x'.repeat(513),
  ];

  it('answers 400 invalid_key_format before any call, and seven of them leave the breaker closed', async () => {
    up = await startFakeUpstream({ requireKey: KEY });
    server = await startTestServer({ env: { ALLOW_PRIVATE_ENDPOINTS: '1' } });
    for (const api_key of BAD_KEYS) {
      const res = await connect({ base_url: up.url, api_key, model: 'test/cheap-model' });
      expect(res.status, JSON.stringify(api_key)).toBe(400);
      expect(((await res.json()) as any).error).toEqual({ code: 'invalid_key_format', message: expect.stringContaining('visible ASCII') });
    }
    const session = await fetch(`${server.url}/api/batch/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ base_url: up.url, api_key: BAD_KEYS[0], model: 'test/cheap-model' }),
    });
    expect(session.status).toBe(400);
    expect(up.requests).toHaveLength(0);
    expect((await connect({ base_url: up.url, api_key: KEY, model: 'test/cheap-model' })).status).toBe(200);
    // A missing key is still a missing field (422), as before.
    expect((await connect({ base_url: up.url, model: 'test/cheap-model' })).status).toBe(422);
  });
});

describe('batch sessions', () => {
  const post = (body: unknown, session?: string) =>
    fetch(`${server!.url}/api/batch/sessions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(session ? { 'X-Session-ID': session } : {}) },
      body: JSON.stringify(body),
    });

  it('keeps a tested endpoint with its key sealed, one per address, deletable at once', async () => {
    up = await startFakeUpstream({ requireKey: KEY });
    server = await startTestServer({ env: { ALLOW_PRIVATE_ENDPOINTS: '1' } });
    const sid = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
    const created = await post({ base_url: up.url, api_key: KEY, model: 'test/cheap-model', label: 'my model' }, sid);
    expect(created.status).toBe(201);
    const body = (await created.json()) as any;
    expect(body).toMatchObject({ id: expect.stringMatching(/^bs_/), model: 'test/cheap-model', label: 'my model', connection: { ok: true } });
    expect(Date.parse(body.expires_at) - Date.parse(body.created_at)).toBe(60 * 60_000);
    await server.store.flush();
    const disk = await readFile(join(server.dataDir, 'state.json'), 'utf8');
    expect(disk).not.toContain(KEY);
    expect(JSON.parse(disk).batch_sessions[body.id].api_key).toMatch(/^enc:v1:/);
    const listed = (await (await fetch(`${server.url}/api/batch/sessions`, { headers: { 'X-Session-ID': sid } })).json()) as any;
    expect(listed.sessions).toEqual([
      { id: body.id, base_url: up.url, model: 'test/cheap-model', label: 'my model', created_at: body.created_at, expires_at: body.expires_at },
    ]);
    // The same address gets a second one only after the first is gone.
    const second = await post({ base_url: up.url, api_key: KEY, model: 'test/free-model' }, sid);
    expect(second.status).toBe(429);
    expect(((await second.json()) as any).error).toEqual({
      code: 'batch_session_limit',
      message: 'Your address already has an active batch session. Delete it on the Batch tab, or wait about 60 minutes until the next one expires.',
      frees_at: body.expires_at,
    });
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(3500);
    const other = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
    expect((await fetch(`${server.url}/api/batch/sessions/${body.id}`, { method: 'DELETE', headers: { 'X-Session-ID': other } })).status).toBe(403);
    expect((await fetch(`${server.url}/api/batch/sessions/${body.id}`, { method: 'DELETE', headers: { 'X-Session-ID': sid } })).status).toBe(204);
    await server.store.flush();
    expect(JSON.parse(await readFile(join(server.dataDir, 'state.json'), 'utf8')).batch_sessions).toEqual({});
    expect((await post({ base_url: up.url, api_key: KEY, model: 'test/free-model' }, sid)).status).toBe(201);
    for (const line of server.logs) expect(line).not.toContain(KEY);
  });

  it('refuses to keep an endpoint that does not answer, and forgets expired sessions with their keys', async () => {
    up = await startFakeUpstream({ requireKey: KEY });
    const clock = new FakeClock();
    server = await startTestServer({ env: { ALLOW_PRIVATE_ENDPOINTS: '1' }, clock, config: { batch: { session_ttl_minutes: 5 } } });
    expect((await post({ base_url: up.url, api_key: 'sk-wrong-key-0000000000', model: 'test/cheap-model' })).status).toBe(401);
    expect(Object.keys(server.store.data.batch_sessions)).toHaveLength(0);
    const sid = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
    const { id } = (await (await post({ base_url: up.url, api_key: KEY, model: 'test/cheap-model' }, sid)).json()) as any;
    clock.advance(5 * 60_000);
    const listed = (await (await fetch(`${server.url}/api/batch/sessions`, { headers: { 'X-Session-ID': sid } })).json()) as any;
    expect(listed.sessions).toEqual([]);
    expect(server.store.data.batch_sessions[id]).toBeUndefined();
    expect((await fetch(`${server.url}/api/batch/sessions/${id}`, { method: 'DELETE', headers: { 'X-Session-ID': sid } })).status).toBe(404);
  });
});
