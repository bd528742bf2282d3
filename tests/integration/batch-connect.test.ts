import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const KEY = 'sk-visitor-endpoint-key-0123456789';
let up: FakeUpstream | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  await up?.close();
  server = up = undefined;
});

const connect = (body: unknown) => fetch(`${server!.url}/api/batch/connect`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('batch: suites and Test connection', () => {
  it('lists the eight curated suites (80 prompts)', async () => {
    server = await startTestServer();
    const { suites } = (await (await fetch(`${server.url}/api/batch/suites`)).json()) as any;
    expect(suites).toHaveLength(8);
    expect(suites.reduce((n: number, s: any) => n + s.prompt_count, 0)).toBe(80);
    expect(suites[0]).toMatchObject({ id: expect.any(String), name: expect.any(String), domain: expect.any(String), difficulty: expect.stringMatching(/^(easy|medium)$/) });
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
