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

async function api(path: string, sid: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(`${server!.url}/api${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'Content-Type': 'application/json', 'X-Session-ID': sid },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, headers: res.headers };
}

async function setup(opts: { upstream?: Parameters<typeof startFakeUpstream>[0]; config?: any } = {}) {
  up = await startFakeUpstream({ requireKey: KEY, ...opts.upstream });
  server = await startTestServer({ env: { ALLOW_PRIVATE_ENDPOINTS: '1' }, ...(opts.config ? { config: opts.config } : {}) });
  const sid = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
  const session = await api('/batch/sessions', sid, { body: { base_url: up.url, api_key: KEY, model: 'test/cheap-model', label: 'mine' } });
  expect(session.status).toBe(201);
  return { sid, bs: session.body.id as string };
}

const waitState = async (sid: string, id: string, states: string[]) => {
  let view: any;
  await expect.poll(async () => (view = (await api(`/batch/runs/${id}`, sid)).body).state, { timeout: 20_000, interval: 50 }).toSatisfy((s: string) => states.includes(s));
  return view;
};

describe('batch runs', () => {
  it('runs all curated suites against an endpoint: every prompt answered, metrics and checks', async () => {
    const { sid, bs } = await setup();
    const started = await api('/batch/runs', sid, { body: { session_ids: [bs], suites: 'all', concurrency: 4 } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ id: expect.stringMatching(/^batch_/), total: 80, estimate: { prompts: 80, total: 80 } });
    const view = await waitState(sid, started.body.id, ['done']);
    expect(view.results).toHaveLength(80);
    expect(view.metrics[0].overall).toMatchObject({ count: 80, succeeded: 80, success_rate: 1 });
    expect(view.results.every((r: any) => r.ttft_ms !== null)).toBe(true);
  });
});
