/**
 * kill -9 at seeded random moments of a batch run, a research cycle and a burst of paid gateway
 * calls; a restart on the same DATA_DIR; then the guarantees: everything the API or a live event
 * reported is on disk, nothing finished is run or charged again, the cap holds.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MODELS, startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { prng } from '../helpers/prng.js';
import { researchResponder } from '../helpers/research-fake.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { crashCopy, makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { startTestServer } from '../helpers/test-server.js';
import { TestSocket } from '../helpers/ws-client.js';

vi.setConfig({ testTimeout: 90_000 });

const CONFIG = new URL('../../config.yaml', import.meta.url).pathname;
const ADMIN = 'admin-token-for-crash-tests-0123456789';
const PAID = 'openai/gpt-4o-mini';
const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const VISITOR_KEY = 'sk-visitor-endpoint-key-0123456789';
const CAP = 1;

let dir: TempDir | undefined;
let up: FakeUpstream | undefined;
const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.child.kill('SIGKILL');
    await s.exited;
  }
  await up?.close();
  await dir?.cleanup();
  up = dir = undefined;
});

async function start(): Promise<ServerProcess> {
  const p = await spawnServer({
    DATA_DIR: dir!.path,
    CONFIG_PATH: CONFIG,
    OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789',
    LLM_BASE_URL: up!.url,
    ADMIN_TOKEN: ADMIN,
    ALLOW_PRIVATE_ENDPOINTS: '1',
    LABCOAT__COST_CONTROL__DAILY_SPENDING_LIMIT_USD: String(CAP),
    LABCOAT__SERVER__RATE_LIMIT_PER_MINUTE: '100000',
    LABCOAT__COST_CONTROL__REQUESTS_PER_HOUR_PER_IP: '100000',
    LABCOAT__COST_CONTROL__PER_SESSION_LIMIT_REQUESTS: '100000',
    // The live catalog here is the fake upstream's few models: no fallback it does not price.
    LABCOAT__LLM__FALLBACK_MODELS: '[]',
  });
  if (p.url.endsWith(':0')) throw new Error(`the server did not start:\n${p.stderr()}\n${p.stdout()}`);
  servers.push(p);
  return p;
}

async function kill(p: ServerProcess): Promise<void> {
  p.child.kill('SIGKILL');
  await p.exited;
  servers.splice(servers.indexOf(p), 1);
}

async function json(
  url: string,
  init: Omit<RequestInit, 'body'> & { sid?: string; body?: unknown } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const { sid, body, ...rest } = init;
  const res = await fetch(url, {
    method: body === undefined ? (rest.method ?? 'GET') : (rest.method ?? 'POST'),
    ...rest,
    headers: { 'Content-Type': 'application/json', ...(sid ? { 'X-Session-ID': sid } : {}), ...(rest.headers as Record<string, string> | undefined) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, headers: res.headers };
}

const chatCalls = () => up!.requests.filter((r) => r.path === '/v1/chat/completions').length;

describe('kill -9 during a batch run', () => {
  it.each([1, 2, 3])('seed %i: every result reported is on disk after a restart, and a resume runs only the rest', async (seed) => {
    const random = prng(seed);
    dir = await makeTempDir('labcoat-crash-batch-');
    // The first answers are slow, so the live socket is subscribed before results land, however busy the machine.
    up = await startFakeUpstream({ requireKey: VISITOR_KEY, latencyMs: () => (chatCalls() <= 4 ? 400 : 5 + Math.floor(random() * 25)) });
    let server = await start();
    const sid = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
    const session = await json(`${server.url}/api/batch/sessions`, { sid, body: { base_url: up.url, api_key: VISITOR_KEY, model: 'test/cheap-model' } });
    expect(session.status).toBe(201);
    const total = 60;
    const text = ['id,prompt', ...Array.from({ length: total }, (_, i) => `p${i},Say ${i}`)].join('\n');
    const started = await json(`${server.url}/api/batch/runs`, {
      sid,
      body: { session_ids: [session.body.id], custom_suite: { format: 'csv', text }, concurrency: 4, timeout_s: 10 },
    });
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    const { topic } = (await json(`${server.url}/api/batch/runs/${id}`, { sid })).body;
    const socket = await TestSocket.open(`${server.url.replace('http', 'ws')}/ws`, { headers: { Origin: server.url } });
    socket.send({ type: 'subscribe', topic });
    const killAfter = 5 + Math.floor(random() * (total - 15));
    const seen = () => socket.messages.filter((m) => m.type === 'event' && m.kind === 'result').map((m) => m.result as { slot: string; answer: string });
    // The moment comes from the upstream's count (not the socket's): a busy machine cannot make it never come.
    await vi.waitFor(() => expect(chatCalls()).toBeGreaterThanOrEqual(killAfter), { timeout: 30_000, interval: 2 });
    const viewed = (await json(`${server.url}/api/batch/runs/${id}`, { sid })).body.results as Array<{ slot: string; answer: string }>;
    const reported = new Map([...viewed, ...seen()].map((r) => [r.slot, r.answer]));
    await kill(server);
    socket.ws.close();
    const callsBefore = chatCalls();

    server = await start();
    const after = (await json(`${server.url}/api/batch/runs/${id}`, { sid })).body;
    const kept = new Map((after.results as Array<{ slot: string; answer: string }>).map((r) => [r.slot, r.answer]));
    for (const [slot, answer] of reported) expect(kept.get(slot), slot).toBe(answer);
    expect(kept.size).toBeGreaterThanOrEqual(reported.size);
    // A run cut off with every result in is done; any other is interrupted, to be resumed.
    expect(after.state).toBe(kept.size === total ? 'done' : 'interrupted');
    if (kept.size === total) return;

    expect((await json(`${server.url}/api/batch/runs/${id}/resume`, { sid, method: 'POST' })).status).toBe(202);
    await vi.waitFor(async () => expect((await json(`${server.url}/api/batch/runs/${id}`, { sid })).body.state).toBe('done'), {
      timeout: 30_000,
      interval: 50,
    });
    const done = (await json(`${server.url}/api/batch/runs/${id}`, { sid })).body;
    expect(done.results).toHaveLength(total);
    expect(chatCalls() - callsBefore).toBe(total - kept.size); // nothing that had a result ran again
    for (const [slot, answer] of kept) expect(done.results.find((r: { slot: string }) => r.slot === slot).answer).toBe(answer);
  });
});

describe('kill -9 during a research cycle', () => {
  it.each([1, 2])('seed %i: every hypothesis, review and match reported is on disk, and finished steps are not run again', async (seed) => {
    const random = prng(100 + seed);
    dir = await makeTempDir('labcoat-crash-research-');
    up = await startFakeUpstream({
      models: [...DEFAULT_MODELS, { id: FREE, pricing: { prompt: '0', completion: '0' } }],
      respond: researchResponder(),
      latencyMs: () => (chatCalls() <= 1 ? 400 : 5 + Math.floor(random() * 20)),
    });
    let server = await start();
    const sid = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
    const res = await json(`${server.url}/api/research/runs`, {
      sid,
      body: { goal: 'How does the gut microbiome shape sleep quality in adults?', model: FREE, hypotheses: 3, cycles: 1 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const id = res.body.id as string;
    const socket = await TestSocket.open(`${server.url.replace('http', 'ws')}/ws`, { headers: { Origin: server.url } });
    socket.send({ type: 'subscribe', topic: `research:${id}` });
    const events = () => socket.messages.filter((m) => m.type === 'event');
    const killAfter = 3 + Math.floor(random() * 10); // of the cycle's 14 calls
    await vi.waitFor(() => expect(chatCalls(), server.stdout().slice(-2000)).toBeGreaterThanOrEqual(killAfter), { timeout: 30_000, interval: 2 });
    const viewed = (await json(`${server.url}/api/research/runs/${id}`, { sid })).body;
    const seen = events();
    await kill(server);
    socket.ws.close();

    server = await start();
    const after = (await json(`${server.url}/api/research/runs/${id}`, { sid })).body;
    // Interrupted, or idle when its cycle ended between the last look and the kill.
    expect(viewed.state === 'idle' ? ['idle'] : ['idle', 'interrupted'], JSON.stringify(after.error)).toContain(after.state);
    const finished = after.state === 'idle';
    const ids = new Set(after.hypotheses.map((h: { id: string }) => h.id));
    for (const e of seen.filter((m) => m.kind === 'hypothesis')) expect(ids.has((e.hypothesis as { id: string }).id)).toBe(true);
    const reviews = new Set(after.hypotheses.flatMap((h: { reviews: Array<{ id: string }> }) => h.reviews.map((r) => r.id)));
    for (const e of seen.filter((m) => m.kind === 'review')) expect(reviews.has((e.review as { id: string }).id)).toBe(true);
    expect(after.matches.length).toBeGreaterThanOrEqual(seen.filter((m) => m.kind === 'match').length);
    for (const h of viewed.hypotheses) expect(ids.has(h.id)).toBe(true);
    const stepsBefore: string[] = viewed.cycles[0].steps_done;
    expect(after.cycles[0].steps_done).toEqual(expect.arrayContaining(stepsBefore));

    if (finished) return;
    const before = up.requests.length;
    const resumed = await json(`${server.url}/api/research/runs/${id}/resume`, { sid, method: 'POST' });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(202);
    await vi.waitFor(async () => expect((await json(`${server.url}/api/research/runs/${id}`, { sid })).body.state).toBe('idle'), {
      timeout: 30_000,
      interval: 50,
    });
    const steps = up.requests.slice(before).map((r) => String(r.body?.messages?.[0]?.content ?? ''));
    if (stepsBefore.includes('generate')) expect(steps.some((s) => /proposing research hypotheses/.test(s))).toBe(false);
    if (stepsBefore.includes('review')) expect(steps.some((s) => /peer reviewer/.test(s))).toBe(false);
  });
});

describe('kill -9 during a burst of paid gateway calls', () => {
  it.each([1, 2])('seed %i: every reported charge is on disk, no finished call is charged again, the cap holds', async (seed) => {
    const random = prng(200 + seed);
    dir = await makeTempDir('labcoat-crash-gateway-');
    up = await startFakeUpstream({
      models: [...DEFAULT_MODELS, { id: PAID, pricing: { prompt: '0.00000015', completion: '0.0000006' } }],
      latencyMs: () => 1 + Math.floor(random() * 8),
    });
    const server = await start();
    const admin = { Authorization: `Bearer ${ADMIN}` };
    const keys = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const made = await json(`${server.url}/admin/api/keys`, { headers: admin, body: { name: `client ${i}` } });
        expect(made.status).toBe(201);
        return made.body as { id: string; key: string };
      }),
    );
    const reported = new Map<string, number>(keys.map((k) => [k.id, 0]));
    let finished = 0;
    let inFlight = 0;
    let stop = false;
    const worst = 0.0001; // well above one call's worst case here (a short prompt, max_tokens 100)
    const client = async (k: { id: string; key: string }) => {
      while (!stop) {
        inFlight++;
        try {
          const res = await fetch(`${server.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${k.key}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ model: PAID, messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 }),
          });
          await res.text();
          if (res.status === 200) {
            reported.set(k.id, reported.get(k.id)! + Number(res.headers.get('x-labcoat-cost-usd')));
            finished++;
          }
        } catch {
          return; // the server is gone
        } finally {
          inFlight--;
        }
      }
    };
    const clients = keys.map(client);
    const killAfter = 40 + Math.floor(random() * 120);
    await vi.waitFor(() => expect(finished).toBeGreaterThanOrEqual(killAfter), { timeout: 30_000, interval: 1 });
    const cutOff = inFlight;
    await kill(server);
    stop = true;
    await Promise.all(clients);

    const again = await start();
    const global = (await json(`${again.url}/api/usage`)).body.global;
    const usage = (await json(`${again.url}/admin/api/usage`, { headers: admin })).body;
    const rows: Array<{ key_id: string; usd: number }> = usage.rows ?? usage;
    const sumReported = [...reported.values()].reduce((a, b) => a + b, 0);
    expect(global.spent_usd_today).toBeGreaterThanOrEqual(sumReported - 1e-9);
    // Beyond what was reported: calls cut off at their worst case, and headroom (at most 5% of the cap).
    expect(global.spent_usd_today - sumReported).toBeLessThanOrEqual(cutOff * worst + 0.05 * CAP + 1e-9);
    expect(global.spent_usd_today).toBeLessThanOrEqual(CAP);
    expect(global.reserved_usd).toBe(0);
    for (const [key, usd] of reported) {
      const billed = rows.filter((r) => r.key_id === key).reduce((a, r) => a + r.usd, 0);
      expect(billed).toBeGreaterThanOrEqual(usd - 1e-9);
    }
  });
});

describe('a crash right after a cancel', () => {
  it('leaves the cancelled run cancelled: its queued job does not start after the restart', async () => {
    up = await startFakeUpstream({ requireKey: VISITOR_KEY, latencyMs: 300 });
    // state.json is written only when the test says so; the journal carries everything else.
    const config = { store: { flush_interval_ms: 10_000 }, deployment: { max_concurrent_jobs: 1 }, batch: { max_active_sessions_per_ip: 2 } };
    const first = await startTestServer({ env: { ALLOW_PRIVATE_ENDPOINTS: '1' }, config });
    const copies: TempDir[] = [];
    try {
      const sid = (await fetch(`${first.url}/api/usage`)).headers.get('x-session-id')!;
      const sessions = await Promise.all(
        ['a', 'b'].map((label) =>
          json(`${first.url}/api/batch/sessions`, { sid, body: { base_url: up!.url, api_key: VISITOR_KEY, model: 'test/cheap-model', label } }),
        ),
      );
      const ids = sessions.map((r) => r.body.id as string);
      const suite = { format: 'csv', text: 'id,prompt\na,Say a\nb,Say b' };
      const busy = await json(`${first.url}/api/batch/runs`, { sid, body: { session_ids: [ids[0]], custom_suite: suite, concurrency: 1 } });
      const waiting = await json(`${first.url}/api/batch/runs`, { sid, body: { session_ids: [ids[1]], custom_suite: suite, concurrency: 1 } });
      expect([busy.status, waiting.status]).toEqual([202, 202]);
      await first.store.flush(); // state.json: the second run queued, its job queued
      expect((await json(`${first.url}/api/batch/runs/${waiting.body.id}/cancel`, { sid, method: 'POST' })).status).toBe(202);
      const copy = await crashCopy(first.dataDir); // kill -9 now
      copies.push(copy);
      await first.close();
      const callsBefore = up.requests.length;
      const second = await startTestServer({ env: { ALLOW_PRIVATE_ENDPOINTS: '1' }, config, dataDir: copy.path });
      try {
        await new Promise((r) => setTimeout(r, 1000)); // a job that wrongly started would have called by now
        expect((await json(`${second.url}/api/batch/runs/${waiting.body.id}`, { sid })).body.state).toBe('cancelled');
        const prompts = up.requests.slice(callsBefore).map((r) => String(r.body?.messages?.at(-1)?.content ?? ''));
        expect(prompts.length).toBeLessThanOrEqual(2); // only the first run's prompts, resumed or not
      } finally {
        await second.close();
      }
    } finally {
      await Promise.all(copies.map((c) => c.cleanup()));
    }
  });
});
