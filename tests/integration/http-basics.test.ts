import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ config: { server: { body_limit_kb: 1 } } });
});
afterAll(() => srv.close());

const expectErrorShape = async (res: Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/); // never a stack trace
  return body;
};

describe('health, metrics, config', () => {
  it('GET /health answers 200 with version, uptime, mode and store status', async () => {
    const res = await fetch(`${srv.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', version: '0.0.0-test', mode: 'data-only', uptime_s: expect.any(Number), store: { ok: true } });
  });

  it('GET /metrics exposes HTTP, live-client, queue and process metrics in Prometheus text', async () => {
    await fetch(`${srv.url}/api/config`);
    const text = await (await fetch(`${srv.url}/metrics`)).text();
    expect(text).toMatch(/labcoat_http_requests_total\{method="GET",route="\/api\/config",status="200"\} \d+/);
    expect(text).toContain('labcoat_http_request_duration_seconds_bucket');
    expect(text).toContain('labcoat_live_clients');
    expect(text).toContain('labcoat_queue_jobs');
    expect(text).toContain('labcoat_process_resident_memory_bytes');
    expect(text).toContain('labcoat_store_writes');
  });

  it('GET /api/config describes the mode and limits without any secret', async () => {
    const body = await (await fetch(`${srv.url}/api/config`)).json();
    expect(body).toMatchObject({ mode: 'data-only', key_modes: { server_key: false, byok: true }, space: null, limits: { max_cycles_per_session: 5 } });
  });
});

describe('errors all have one shape', () => {
  it('unknown API route → 404', async () => {
    await expectErrorShape(await fetch(`${srv.url}/api/nope`), 404, 'not_found');
    await expectErrorShape(await fetch(`${srv.url}/no/such/page`), 404, 'not_found');
  });

  it('wrong method → 405 with Allow', async () => {
    const res = await fetch(`${srv.url}/api/config`, { method: 'POST' });
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    await expectErrorShape(res, 405, 'method_not_allowed');
    await expectErrorShape(await fetch(`${srv.url}/health`, { method: 'DELETE' }), 405, 'method_not_allowed');
  });

  it('malformed JSON → 400 invalid_json', async () => {
    const res = await fetch(`${srv.url}/api/jobs/x/cancel`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a": ' });
    await expectErrorShape(res, 400, 'invalid_json');
  });

  it('oversized body → 413 payload_too_large with the limit', async () => {
    const res = await fetch(`${srv.url}/api/jobs/x/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(5000) }),
    });
    const body = await expectErrorShape(res, 413, 'payload_too_large');
    expect(body.error.message).toContain('1 KB');
  });

  it('unknown job → 404 job_not_found', async () => {
    await expectErrorShape(await fetch(`${srv.url}/api/jobs/job_nope`), 404, 'job_not_found');
  });

  it('SSE without topics → 400', async () => {
    await expectErrorShape(await fetch(`${srv.url}/api/events`), 400, 'invalid_topics');
  });
});

describe('security headers and origins', () => {
  it('serves the page under a strict CSP that allows exactly the import map', async () => {
    const res = await fetch(`${srv.url}/`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'self' https://huggingface.co");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves preact and htm from node_modules', async () => {
    for (const path of ['/vendor/preact/preact.module.js', '/vendor/preact/hooks.module.js', '/vendor/htm/htm.module.js']) {
      const res = await fetch(`${srv.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
    }
  });

  it('CORS: allowed localhost origins get headers in development, foreign ones do not', async () => {
    const ok = await fetch(`${srv.url}/api/config`, { headers: { origin: 'http://localhost:5173' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const foreign = await fetch(`${srv.url}/api/config`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses state-changing requests from a foreign origin (CSRF)', async () => {
    const res = await fetch(`${srv.url}/api/jobs/x/cancel`, { method: 'POST', headers: { origin: 'https://evil.example' } });
    await expectErrorShape(res, 403, 'origin_not_allowed');
  });

  it('gives every response a request id, and echoes a valid incoming one', async () => {
    const res = await fetch(`${srv.url}/api/config`, { headers: { 'x-request-id': 'trace-1234abcd' } });
    expect(res.headers.get('x-request-id')).toBe('trace-1234abcd');
    expect((await fetch(`${srv.url}/api/config`)).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('sessions', () => {
  it('issues a signed session as an HttpOnly cookie and X-Session-ID, and keeps it', async () => {
    const first = await fetch(`${srv.url}/api/config`);
    const token = first.headers.get('x-session-id')!;
    expect(token).toMatch(/^s_[\w-]+\.[\w-]+$/);
    expect(first.headers.get('set-cookie')).toMatch(/^lc_session=.+; Path=\/; HttpOnly; SameSite=Lax$/);
    const again = await fetch(`${srv.url}/api/config`, { headers: { 'x-session-id': token } });
    expect(again.headers.get('x-session-id')).toBe(token);
    const byCookie = await fetch(`${srv.url}/api/config`, { headers: { cookie: `lc_session=${token}` } });
    expect(byCookie.headers.get('x-session-id')).toBe(token);
    expect(byCookie.headers.get('set-cookie')).toBeNull();
  });

  it('replaces a forged session id with a new one', async () => {
    const res = await fetch(`${srv.url}/api/config`, { headers: { 'x-session-id': 's_madeup.notsigned' } });
    expect(res.headers.get('x-session-id')).not.toContain('s_madeup');
  });
});
