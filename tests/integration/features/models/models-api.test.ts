import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../../helpers/fake-upstream.js';
import { startTestServer, type TestServer } from '../../../helpers/test-server.js';

let srv: TestServer | undefined;
let up: FakeUpstream | undefined;
afterEach(async () => {
  await srv?.close();
  await up?.close();
  srv = up = undefined;
});

interface ModelsBody {
  source: string;
  fetched_at: string;
  age_s: number;
  refresh_error: string | null;
  missing_allowed: string[];
  models: Array<{ id: string; price_per_1m: { input: number; output: number } | null; free: boolean; allowed: boolean; tier: string; provider: string }>;
}
const models = async (s: TestServer) => (await (await fetch(`${s.url}/api/models`)).json()) as ModelsBody;

describe('GET /api/models', () => {
  it('works with no key at all, from the shipped snapshot, with prices per 1M, access and tier', async () => {
    srv = await startTestServer({
      config: { cost_control: { allowed_models: { development: ['openai/gpt-4o-mini', 'gone/model'] }, tiers: { anonymous: ['openai/gpt-4o-mini'] } } },
    });
    const body = await models(srv);
    expect(body).toMatchObject({ source: 'snapshot', fetched_at: '2025-10-25T00:00:00Z', missing_allowed: ['gone/model'] });
    expect(body.age_s).toBeGreaterThan(0);
    expect(body.models).toHaveLength(344);
    expect(body.models.find((m) => m.id === 'openai/gpt-4o-mini')).toMatchObject({
      provider: 'openai',
      price_per_1m: { input: 0.15, output: 0.6 },
      free: false,
      allowed: true,
      tier: 'anonymous',
    });
    expect(body.models.find((m) => m.id === 'qwen/qwen3-30b-a3b:free')).toMatchObject({ free: true, allowed: false, tier: 'byok' });
  });

  it('serves the live list when the upstream answers', async () => {
    up = await startFakeUpstream();
    srv = await startTestServer({ catalogUrl: up.url });
    await models(srv); // the first read starts a refresh
    const body = await vi.waitFor(async () => {
      const b = await models(srv!);
      expect(b.source).toBe('live');
      return b;
    });
    expect(body.models.map((m) => m.id)).toEqual(['test/cheap-model', 'test/free-model']);
    expect(body.models[0]!.price_per_1m).toEqual({ input: 0.1, output: 0.2 });
  });

  it('keeps the snapshot and says why when the catalog endpoint is down', async () => {
    srv = await startTestServer({ catalogUrl: 'http://127.0.0.1:9/v1' });
    await models(srv);
    const body = await vi.waitFor(async () => {
      const b = await models(srv!);
      expect(b.refresh_error).toBeTruthy();
      return b;
    });
    expect(body.source).toBe('snapshot');
  });
});

describe('POST /api/models/refresh', () => {
  it('fetches the live list again, at most once a minute', async () => {
    up = await startFakeUpstream();
    srv = await startTestServer({ catalogUrl: up.url });
    const before = up.requests.filter((r) => r.path === '/v1/models').length;
    const res = await fetch(`${srv.url}/api/models/refresh`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ModelsBody).source).toBe('live');
    await fetch(`${srv.url}/api/models/refresh`, { method: 'POST' });
    expect(up.requests.filter((r) => r.path === '/v1/models').length).toBe(before + 1);
  });
});
