import { afterEach, describe, expect, it, vi } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startFakeUpstream } from '../helpers/fake-upstream.js';
import { startTestServer, type TestServer, type TestServerOptions } from '../helpers/test-server.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { TestSocket } from '../helpers/ws-client.js';

const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const PAID = 'openai/gpt-4o-mini'; // $0.15 / $0.60 per 1M in the shipped snapshot
const BYOK_ONLY = 'google/gemini-2.5-flash';
const SERVER_KEY = 'sk-or-v1-server-key-0123456789abcdef';
const VISITOR_KEY = 'sk-or-v1-visitor-key-fedcba9876543210';
const IN = 0.15e-6;
const OUT = 0.6e-6;

/** The worst case the server reserves for one user message of `text` with `maxTokens`. */
const worstCase = (text: string, maxTokens: number) => (Buffer.byteLength(text) + 8 + 8) * IN + maxTokens * OUT;

vi.setConfig({ testTimeout: 30_000 });

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  // In order: servers, then upstreams, then temp dirs.
  for (const x of open.splice(0)) await x.close();
});

async function setup(opts: TestServerOptions & { upstream?: Parameters<typeof startFakeUpstream>[0]; serverKey?: boolean } = {}) {
  const upstream = await startFakeUpstream(opts.upstream);
  open.push(upstream);
  const server = await startTestServer({
    ...opts,
    env: { ...(opts.serverKey === false ? {} : { OPENROUTER_API_KEY: SERVER_KEY }), LLM_BASE_URL: upstream.url, ...opts.env },
    config: {
      ...opts.config,
      cost_control: {
        allowed_models: { development: [FREE, PAID, BYOK_ONLY] },
        tiers: { anonymous: [FREE, PAID], byok: 'all_allowed' },
        per_session_limit_requests: 1000,
        requests_per_hour_per_ip: 1000,
        ...opts.config?.cost_control,
      },
    },
  });
  open.unshift(server); // closed before the upstream
  return { server, upstream };
}

function chat(server: TestServer, body: Record<string, unknown>, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(`${server.url}/api/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }], ...body }),
    signal,
  });
}

const usage = async (server: TestServer, headers: Record<string, string> = {}) => (await (await fetch(`${server.url}/api/usage`, { headers })).json()) as any;

describe('quotas are checked and counted in one step', () => {
  it('admits exactly 5 of 200 concurrent requests against a session quota of 5', async () => {
    const { server } = await setup({ config: { cost_control: { per_session_limit_requests: 5 } } });
    const session = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
    const results = await Promise.all(Array.from({ length: 200 }, () => chat(server, { model: FREE }, { 'X-Session-ID': session })));
    const codes = await Promise.all(results.map(async (r) => (r.status === 200 ? 'ok' : ((await r.json()) as any).error.code)));
    expect(codes.filter((c) => c === 'ok')).toHaveLength(5);
    expect(codes.filter((c) => c === 'session_request_limit')).toHaveLength(195);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.headers.get('retry-after')).toBeNull(); // waiting does not help a session quota
    expect((await usage(server, { 'X-Session-ID': session })).session).toMatchObject({ requests_used: 5, requests_limit: 5 });
  });

  it('admits exactly 5 of 200 concurrent requests from one address against an hourly limit of 5, with Retry-After', async () => {
    const { server } = await setup({ config: { cost_control: { requests_per_hour_per_ip: 5 } } });
    const results = await Promise.all(Array.from({ length: 200 }, () => chat(server, { model: FREE })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(195);
    const body = (await refused[0]!.json()) as any;
    expect(body.error.code).toBe('hourly_limit');
    expect(body.error.message).toMatch(/own OpenRouter key in Settings/);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(3500);
    expect((await usage(server)).ip).toMatchObject({ requests_this_hour: 5, requests_per_hour: 5 });
  });

  it('gives the request back when the cap refuses the call before it reaches the model', async () => {
    const { server } = await setup({ config: { cost_control: { per_session_limit_requests: 2, daily_spending_limit_usd: 0.00001 } } });
    const session = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
    const h = { 'X-Session-ID': session };
    const refused = await chat(server, { model: PAID, max_tokens: 100 }, h);
    expect(((await refused.json()) as any).error.code).toBe('request_too_costly');
    expect((await usage(server, h)).session.requests_used).toBe(0);
  });
});

describe('the daily cap', () => {
  it('is never passed by concurrent slow calls, whatever order they finish in', async () => {
    const cap = 0.0005;
    const maxTokens = 200;
    const worst = worstCase('hello', maxTokens);
    const { server, upstream } = await setup({
      config: { cost_control: { daily_spending_limit_usd: cap } },
      upstream: { latencyMs: () => 20 + Math.floor(Math.random() * 150) },
    });
    // Each call reports a real cost close to its worst case, so spend climbs fast.
    upstream.enqueue(
      ...Array.from({ length: 200 }, () => ({
        kind: 'ok' as const,
        usage: { prompt_tokens: 5, completion_tokens: 190, cost: Math.round(worst * 0.9 * 1e8) / 1e8 },
      })),
    );
    let peak = 0;
    // Reads spent + reserved every 5 ms while the waves run (each read also writes the session's
    // last_seen, so the store is never quiet: paid calls must still get their reservation on disk).
    const sampler = setInterval(() => {
      usage(server)
        .then((u) => void (peak = Math.max(peak, u.global.spent_usd_today + u.global.reserved_usd)))
        .catch(() => undefined);
    }, 5);
    const statuses: number[] = [];
    const refusals: string[] = [];
    try {
      for (let wave = 0; wave < 3; wave++) {
        const results = await Promise.all(Array.from({ length: 40 }, () => chat(server, { model: PAID, max_tokens: maxTokens })));
        statuses.push(...results.map((r) => r.status));
        for (const r of results.filter((r) => r.status !== 200)) {
          const body = (await r.json()) as any;
          refusals.push(`${r.status} ${body.error.code} retry-after=${r.headers.get('retry-after')}`);
        }
      }
    } finally {
      clearInterval(sampler);
    }
    for (const line of refusals) expect(line).toMatch(/^429 (daily_budget_exhausted|budget_busy) retry-after=[1-9]/);
    const admitted = statuses.filter((s) => s === 200).length;
    const g = (await usage(server)).global;
    expect(admitted).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(g.reserved_usd).toBe(0);
    expect(g.spent_usd_today).toBeLessThanOrEqual(cap);
    expect(peak).toBeLessThanOrEqual(cap + 1e-9);
    // The ledger's spend is the sum of what each admitted call cost, all within the cap.
    expect(g.spent_usd_today).toBeCloseTo((admitted * Math.round(worst * 0.9 * 1e8)) / 1e8, 8);
    expect(upstream.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(admitted);
  });

  it('sends max_tokens upstream even when the caller set none, so the reservation bounds the call', async () => {
    const { server, upstream } = await setup({ config: { cost_control: { default_max_tokens: 321 } } });
    expect((await chat(server, { model: PAID })).status).toBe(200);
    expect(upstream.requests.at(-1)!.body.max_tokens).toBe(321);
  });

  it('charges a stream cancelled half-way its reservation (the provider may bill it all), and holds nothing after', async () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const { server, upstream } = await setup({ upstream: { chunkDelayMs: 40 } });
    upstream.enqueue({ kind: 'ok', content: words });
    const abort = new AbortController();
    const res = await chat(server, { model: PAID, max_tokens: 500, stream: true }, {}, abort.signal);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: delta')) text += new TextDecoder().decode((await reader.read()).value);
    const worst = Math.round(worstCase('hello', 500) * 1e8) / 1e8;
    expect((await usage(server)).global.reserved_usd).toBe(worst);
    abort.abort();
    await vi.waitFor(async () => expect((await usage(server)).global.reserved_usd).toBe(0));
    expect((await usage(server)).global.spent_usd_today).toBe(worst);
  });

  it('charges each attempt whose outcome is unknown, refused ones nothing', async () => {
    const { server, upstream } = await setup();
    const worst = Math.round(worstCase('hello', 100) * 1e8) / 1e8;
    // A provider timeout (may have run), then an answer costing 0.00001: both are charged.
    upstream.enqueue({ kind: 'error', status: 504 }, { kind: 'ok', usage: { prompt_tokens: 5, completion_tokens: 5, cost: 0.00001 } });
    const res = await chat(server, { model: PAID, max_tokens: 100 });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).cost_usd).toBeCloseTo(worst + 0.00001, 10);
    expect((await usage(server)).global.spent_usd_today).toBeCloseTo(worst + 0.00001, 10);
    // A request the provider refused (400) costs nothing; an answer it sent but we could not read costs the worst case.
    upstream.enqueue({ kind: 'error', status: 400 });
    expect((await chat(server, { model: PAID, max_tokens: 100 })).status).toBe(400);
    expect((await usage(server)).global.spent_usd_today).toBeCloseTo(worst + 0.00001, 10);
    upstream.enqueue({ kind: 'bad_json' });
    expect((await chat(server, { model: PAID, max_tokens: 100 })).status).toBe(502);
    expect((await usage(server)).global).toMatchObject({ reserved_usd: 0 });
    expect((await usage(server)).global.spent_usd_today).toBeCloseTo(2 * worst + 0.00001, 10);
  });

  it('never lets a usage block with missing counts switch the cap off', async () => {
    const cap = 0.0005;
    const { server, upstream } = await setup({ config: { cost_control: { daily_spending_limit_usd: cap } } });
    upstream.enqueue(...Array.from({ length: 30 }, () => ({ kind: 'ok' as const, usage: { completion_tokens: 5 } as any })));
    let admitted = 0;
    for (let i = 0; i < 30; i++) if ((await chat(server, { model: PAID, max_tokens: 100 })).status === 200) admitted++;
    const g = (await usage(server)).global;
    expect(g.spent_usd_today).toBeGreaterThan(0);
    expect(g.spent_usd_today).toBeLessThanOrEqual(cap);
    expect(admitted).toBeLessThan(30);
  });

  it('answers a streamed request the cap refuses with a plain 429 and Retry-After, and 30 s while calls in flight hold the room', async () => {
    const cap = 0.0001;
    const { server, upstream } = await setup({ config: { cost_control: { daily_spending_limit_usd: cap } } });
    // Slow enough to be in flight through the refused call on a loaded machine (300 ms was not).
    upstream.enqueue({ kind: 'ok', latencyMs: 3000, usage: { prompt_tokens: 1, completion_tokens: 1, cost: 0.00001 } });
    const first = chat(server, { model: PAID, max_tokens: 100 });
    await vi.waitFor(async () => expect((await usage(server)).global.reserved_usd).toBeGreaterThan(0));
    const busy = await chat(server, { model: PAID, max_tokens: 100, stream: true });
    expect(busy.status).toBe(429);
    expect(busy.headers.get('content-type')).toMatch(/application\/json/);
    expect(busy.headers.get('retry-after')).toBe('30');
    expect(((await busy.json()) as any).error.code).toBe('budget_busy');
    expect((await first).status).toBe(200);
  });

  it('prices a call that may fall back at the dearest model of the chain, and says which one answered', async () => {
    const NANO = 'openai/gpt-5-nano'; // $0.05 / $0.40: cheaper than PAID
    const { server, upstream } = await setup({
      config: {
        llm: { fallback_models: [FREE, PAID] },
        cost_control: { allowed_models: { development: [FREE, PAID, NANO] }, tiers: { anonymous: [FREE, PAID, NANO] } },
      },
    });
    upstream.enqueue({ kind: 'error', status: 404 }, { kind: 'ok', usage: { prompt_tokens: 5, completion_tokens: 5 } });
    const res = await chat(server, { model: NANO, max_tokens: 100 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ model: FREE, requested_model: NANO, cost_usd: 0 });
    expect(body.reserved_usd).toBeCloseTo(worstCase('hello', 100), 8);
    expect(upstream.requests.map((r) => r.body.model)).toEqual([NANO, FREE]);
    // A free model falls back only to free ones, so it never needs room under the cap.
    upstream.enqueue({ kind: 'error', status: 404 }, { kind: 'error', status: 404 });
    expect((await chat(server, { model: FREE, max_tokens: 100 })).status).toBe(404);
    expect(upstream.requests.slice(2).map((r) => r.body.model)).toEqual([FREE]);
  });

  it('refuses until UTC midnight, then starts a fresh day', async () => {
    const clock = new FakeClock('2026-01-15T23:59:00Z');
    const cap = 0.0002;
    const { server, upstream } = await setup({ clock, config: { cost_control: { daily_spending_limit_usd: cap } } });
    upstream.enqueue({ kind: 'ok', usage: { prompt_tokens: 10, completion_tokens: 100, cost: cap } });
    expect((await chat(server, { model: PAID, max_tokens: 100 })).status).toBe(200);
    const refused = await chat(server, { model: PAID, max_tokens: 100 });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect((await usage(server)).global).toMatchObject({ day: '2026-01-15', spent_usd_today: cap, resets_at: '2026-01-16T00:00:00.000Z' });
    clock.set('2026-01-16T00:00:01Z');
    expect((await usage(server)).global).toMatchObject({ day: '2026-01-16', spent_usd_today: 0 });
    expect((await chat(server, { model: PAID, max_tokens: 100 })).status).toBe(200);
  });

  it('lets free models through with the cap used up, without reserving anything', async () => {
    const { server, upstream } = await setup({ config: { cost_control: { daily_spending_limit_usd: 0.0002 } } });
    upstream.enqueue({ kind: 'ok', usage: { prompt_tokens: 10, completion_tokens: 100, cost: 0.0002 } });
    expect((await chat(server, { model: PAID, max_tokens: 100 })).status).toBe(200);
    expect((await chat(server, { model: PAID, max_tokens: 100 })).status).toBe(429);
    const res = await chat(server, { model: FREE });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).cost_usd).toBe(0);
    expect((await usage(server)).global).toMatchObject({ spent_usd_today: 0.0002, reserved_usd: 0 });
    const day = server.store.data.ledger.days['2026-01-15'] ?? Object.values(server.store.data.ledger.days)[0]!;
    expect(day.by_model[FREE]).toMatchObject({ usd: 0, calls: 1 });
  });

  it('charges assumed prices for unpriced models, and refuses them on the server key without one', async () => {
    const unpriced = 'acme/house-model';
    const base = { allowed_models: { development: [unpriced] }, tiers: { anonymous: [unpriced] } };
    const { server } = await setup({ config: { cost_control: base } });
    const refused = await chat(server, { model: unpriced });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).error.code).toBe('model_price_unknown');

    const priced = await setup({ config: { cost_control: { ...base, assumed_prices: { [unpriced]: { input: 1, output: 2 } } } } });
    priced.upstream.enqueue({ kind: 'ok', usage: { prompt_tokens: 1000, completion_tokens: 500 } });
    const res = await chat(priced.server, { model: unpriced, max_tokens: 600 });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).cost_usd).toBeCloseTo(1000 * 1e-6 + 500 * 2e-6, 10);
  });

  it('survives a restart: today\u2019s spend is not reset', async () => {
    const dir = await makeTempDir();
    open.push({ close: dir.cleanup });
    const first = await setup({ dataDir: dir.path });
    first.upstream.enqueue({ kind: 'ok', usage: { prompt_tokens: 10, completion_tokens: 10, cost: 0.0001234 } });
    expect((await chat(first.server, { model: PAID, max_tokens: 100 })).status).toBe(200);
    await first.server.close();
    open.splice(open.indexOf(first.server), 1);
    const second = await setup({ dataDir: dir.path });
    expect((await usage(second.server)).global.spent_usd_today).toBe(0.0001234);
  });

  it('raises the alert once: a log line, a gauge in /metrics, and an event on the usage topic', async () => {
    const { server, upstream } = await setup({ config: { cost_control: { daily_spending_limit_usd: 0.001, alert_at_fraction: 0.5 } } });
    const socket = await TestSocket.open(server.wsUrl);
    socket.send({ type: 'subscribe', topic: 'usage' });
    const snapshot = await socket.next((m) => m.type === 'snapshot' && m.topic === 'usage');
    expect(snapshot.data).toMatchObject({ alert: false, cap_usd: 0.001 });
    upstream.enqueue(...Array.from({ length: 3 }, () => ({ kind: 'ok' as const, usage: { prompt_tokens: 1, completion_tokens: 1, cost: 0.0003 } })));
    for (let i = 0; i < 3; i++) expect((await chat(server, { model: PAID, max_tokens: 100 })).status).toBe(200);
    // Events are throttled: wait for the one that carries all three calls.
    const event = await socket.next((m) => m.kind === 'usage' && (m.global as any).spent_usd_today === 0.0009);
    expect(event.global).toMatchObject({ alert: true, reserved_usd: 0 });
    expect(server.logs.filter((l) => l.includes('of the cap'))).toHaveLength(1);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^labcoat_budget_alert 1$/m);
    expect(metrics).toMatch(/^labcoat_spend_usd_today 0\.0009$/m);
    socket.ws.close();
  });
});

describe('key modes', () => {
  it('runs a visitor\u2019s own key past the cap and the quotas, never using the server key, never keeping theirs', async () => {
    const { server, upstream } = await setup({
      config: { cost_control: { daily_spending_limit_usd: 0.0002, per_session_limit_requests: 1 } },
      upstream: { keyInfo: { limit: 10, usage: 2.5, limit_remaining: 7.5, is_free_tier: false, label: 'sk-or-v1-vis...210' } },
    });
    upstream.enqueue({ kind: 'ok', usage: { prompt_tokens: 10, completion_tokens: 100, cost: 0.0002 } });
    expect((await chat(server, { model: PAID, max_tokens: 100 })).status).toBe(200); // the server key: cap and session quota now used up
    const own = { Authorization: `Bearer ${VISITOR_KEY}` };
    const bodies: string[] = [];
    for (const body of [{ model: PAID, max_tokens: 100 }, { model: BYOK_ONLY }, { model: PAID, stream: true }]) {
      const res = await chat(server, body, own);
      expect(res.status).toBe(200);
      bodies.push(JSON.stringify([...res.headers]) + (await res.text()));
    }
    const calls = upstream.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(calls.map((r) => r.headers.authorization)).toEqual([`Bearer ${SERVER_KEY}`, ...Array(3).fill(`Bearer ${VISITOR_KEY}`)]);
    const u = await usage(server, own);
    expect(u.key_mode).toBe('byok');
    expect(u.byok).toEqual({ credit: { limit_usd: 10, usage_usd: 2.5, remaining_usd: 7.5, is_free_tier: false } });
    expect(u.global.spent_usd_today).toBe(0.0002); // the visitor's calls cost the Space nothing
    bodies.push(JSON.stringify(u));
    await server.store.flush();
    const files = await readdir(server.dataDir);
    const disk = await Promise.all(files.map((f) => readFile(join(server.dataDir, f), 'utf8').catch(() => '')));
    for (const text of [...bodies, ...server.logs, ...disk]) {
      expect(text).not.toContain(VISITOR_KEY);
      expect(text).not.toContain(VISITOR_KEY.slice(-16));
    }
  });

  it('answers 402 no_api_key on every model-calling route in data-only mode, with the way to add a key', async () => {
    const { server, upstream } = await setup({ serverKey: false, env: { SPACE_ID: 'owner/labcoat' } });
    const routes: Array<[string, Record<string, unknown>]> = [['/api/chat', { model: FREE, messages: [{ role: 'user', content: 'hi' }] }]];
    for (const [path, body] of routes) {
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, path).toBe(402);
      const { error } = (await res.json()) as any;
      expect(error.code).toBe('no_api_key');
      expect(error.message).toMatch(/own OpenRouter key in Settings/);
      expect(error.message).toContain('https://huggingface.co/spaces/owner/labcoat?duplicate=true');
    }
    expect(upstream.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
    // Estimates and usage still work: they call no model.
    expect((await fetch(`${server.url}/api/usage`)).status).toBe(200);
  });

  it('refuses a model outside the caller\u2019s tier with 403 model_not_allowed naming the allowed ones', async () => {
    const { server, upstream } = await setup();
    for (const model of ['anthropic/claude-opus-4', BYOK_ONLY]) {
      const res = await chat(server, { model });
      expect(res.status).toBe(403);
      const { error } = (await res.json()) as any;
      expect(error.code).toBe('model_not_allowed');
      expect(error.allowed_models).toEqual([FREE, PAID]);
      expect(error.message).toContain(FREE);
      if (model === BYOK_ONLY) expect(error.message).toMatch(/your own key/);
    }
    // On a visitor's key the byok tier (here: the whitelist) applies.
    const res = await chat(server, { model: 'anthropic/claude-opus-4' }, { Authorization: `Bearer ${VISITOR_KEY}` });
    expect(res.status).toBe(403);
    expect(upstream.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(0);
  });
});

describe('POST /api/research/estimate', () => {
  it('gives calls and worst-case USD from the plan, clamps hypotheses to the config, and counts cycles left', async () => {
    const { server } = await setup({ config: { deployment: { max_hypotheses_per_cycle: 3, max_cycles_per_session: 5 } } });
    const post = (body: unknown) =>
      fetch(`${server.url}/api/research/estimate`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const res = await post({ model: PAID, hypotheses: 8, cycles: 2, goal: 'Why do cats purr?' });
    expect(res.status).toBe(200);
    const e = (await res.json()) as any;
    expect(e).toMatchObject({ key_mode: 'server', paid_by: 'space', free: false, cycles: 2, calls: 39, clamped: { hypotheses: { asked: 8, max: 3 } } });
    expect(e.settings.hypotheses).toBe(3);
    expect(e.max_usd).toBeGreaterThan(0);
    expect(e.per_cycle.map((c: any) => c.calls)).toEqual([15, 24]);
    expect(e.quota.cycles_left).toBe(5);
    const free = (await (await post({ model: FREE })).json()) as any;
    expect(free).toMatchObject({ free: true, max_usd: 0, calls: 16 });
    const refused = await post({ model: BYOK_ONLY });
    expect(refused.status).toBe(403);
    expect((await post({ model: PAID, hypotheses: 0 })).status).toBe(422);
  });
});
