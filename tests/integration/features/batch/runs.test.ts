import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeUpstream, type Behavior, type FakeUpstream, type RecordedRequest } from '../../../helpers/fake-upstream.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { makeTempDir } from '../../../helpers/temp-dir.js';
import { startTestServer, type TestServer } from '../../../helpers/test-server.js';
import { TestSocket } from '../../../helpers/ws-client.js';

vi.setConfig({ testTimeout: 60_000 });

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

async function setup(opts: { upstream?: Parameters<typeof startFakeUpstream>[0]; config?: any; dataDir?: string; clock?: FakeClock } = {}) {
  up ??= await startFakeUpstream({ requireKey: KEY, ...opts.upstream });
  server = await startTestServer({
    env: { ALLOW_PRIVATE_ENDPOINTS: '1' },
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const sid = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
  const session = await api('/batch/sessions', sid, { body: { base_url: up.url, api_key: KEY, model: 'test/cheap-model', label: 'mine' } });
  expect(session.status).toBe(201);
  return { sid, bs: session.body.id as string };
}

/** The user message of a chat request (the prompt a fake answer depends on). */
const promptOf = (req: RecordedRequest): string => String(req.body?.messages?.at(-1)?.content ?? '');
const chatCalls = () => up!.requests.filter((r) => r.path === '/v1/chat/completions');
const csvSuite = (rows: string[][]) => ({
  format: 'csv',
  text: [['id', 'prompt', 'check_type', 'check_value'], ...rows].map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n'),
});

const waitState = async (sid: string, id: string, states: string[]) => {
  let view: any;
  await expect
    .poll(async () => (view = (await api(`/batch/runs/${id}`, sid)).body).state, { timeout: 20_000, interval: 50 })
    .toSatisfy((s: string) => states.includes(s));
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

  it('streams each result on batch:<id> as it lands, with progress and ETA, after a snapshot', async () => {
    const { sid, bs } = await setup({ upstream: { latencyMs: 30 } });
    const started = await api('/batch/runs', sid, { body: { session_ids: [bs], suites: ['code-easy'], concurrency: 2 } });
    const { topic } = (await api(`/batch/runs/${started.body.id}`, sid)).body;
    expect(topic).toMatch(new RegExp(`^batch:${started.body.id}-[\\w-]{22}$`));
    const ws = await TestSocket.open(server!.wsUrl, { headers: { Origin: server!.url } });
    // Someone who only knows the run id (it is in every export) learns nothing from the live topic.
    const stranger = await TestSocket.open(server!.wsUrl, { headers: { Origin: server!.url } });
    try {
      stranger.send({ type: 'subscribe', topic: `batch:${started.body.id}` });
      stranger.send({ type: 'subscribe', topic: `batch:${started.body.id}-guessed-key-000000000000` });
      ws.send({ type: 'subscribe', topic });
      const snap = await ws.next((m) => m.type === 'snapshot' && m.topic === topic);
      expect(snap.data).toMatchObject({ id: started.body.id, total: 10 });
      expect(JSON.stringify(snap.data)).not.toContain('"answer"');
      await ws.next((m) => m.topic === topic && m.type === 'status' && m.state === 'done', 15_000);
      const results = ws.messages.filter((m) => m.topic === topic && m.type === 'event' && m.kind === 'result');
      const progress = ws.messages.filter((m) => m.topic === topic && m.type === 'progress') as any[];
      const seen = (snap.data as any).done as number;
      expect(results).toHaveLength(10 - seen);
      expect(progress.at(-1)).toMatchObject({ step: 'prompts', done: 10, total: 10, eta_s: 0 });
      // Unknown until the first round of concurrent answers is in, then a number of seconds.
      expect(progress.every((p) => p.eta_s === null || (typeof p.eta_s === 'number' && p.eta_s >= 0))).toBe(true);
      expect(progress.filter((p) => p.done < 10 && typeof p.eta_s === 'number').length).toBeGreaterThan(0);
      expect((results[0] as any).result).toMatchObject({ slot: expect.stringMatching(/^0\/code-easy\//), ok: true, ttft_ms: expect.any(Number) });
      expect(stranger.messages.filter((m) => m.type === 'snapshot' || m.type === 'event' || m.type === 'progress')).toEqual([]);
    } finally {
      ws.ws.close();
      stranger.ws.close();
    }
  });

  it('survives a faulty endpoint: each failure says which prompt and why, the run completes, and Retry failed re-runs only those', async () => {
    const rateLimited = new Set<string>();
    let healthy = false;
    const respond = (req: RecordedRequest): Behavior | undefined => {
      const p = promptOf(req);
      if (healthy) return undefined;
      if (p.includes('FAIL500')) return { kind: 'error', status: 500 };
      if (p.includes('HTML')) return { kind: 'html' };
      if (p.includes('CUT')) return { kind: 'midstream_fail', afterChunks: 2, content: 'one two three four five six' };
      if (p.includes('HANG')) return { kind: 'hang' };
      if (p.includes('SLOWDOWN') && !rateLimited.has(p)) {
        rateLimited.add(p);
        return { kind: 'rate_limit', retryAfterMs: 300 };
      }
      return undefined;
    };
    const { sid, bs } = await setup({ upstream: { respond } });
    const custom = csvSuite([
      ['a', 'plain one', 'contains', 'plain'],
      ['b', 'FAIL500 please', '', ''],
      ['c', 'HTML please', '', ''],
      ['d', 'CUT please', '', ''],
      ['e', 'HANG please', '', ''],
      ['f', 'SLOWDOWN please', '', ''],
      ['g', 'plain two', 'contains', 'nothing-like-this'],
    ]);
    const started = await api('/batch/runs', sid, { body: { session_ids: [bs], custom_suite: custom, concurrency: 4, timeout_s: 5 } });
    expect(started.status).toBe(202);
    const view = await waitState(sid, started.body.id, ['done']);
    const by = Object.fromEntries(view.results.map((r: any) => [r.prompt_id, r]));
    expect(by.a).toMatchObject({ ok: true, check: 'pass' });
    expect(by.g).toMatchObject({ ok: true, check: 'fail', check_detail: 'missing "nothing-like-this"' });
    expect(by.b).toMatchObject({ ok: false, error_code: 'upstream_unavailable' });
    expect(by.b.error_message).toEqual(expect.any(String));
    expect(by.c).toMatchObject({ ok: false, error_code: 'upstream_bad_response' });
    expect(by.d).toMatchObject({ ok: false, error_code: expect.stringMatching(/^upstream_/), answer: 'one two ' });
    expect(by.d.error_message).toMatch(/stream broke after 8 characters/);
    expect(by.e).toMatchObject({ ok: false, error_code: 'upstream_timeout' });
    expect(by.f).toMatchObject({ ok: true, retries: 1 });
    expect(view.metrics[0].overall).toMatchObject({ count: 7, succeeded: 3, checks: { run: 2, passed: 1 } });
    expect(Object.values(view.metrics[0].overall.failures_by_code).reduce((a: number, n: any) => a + n, 0)).toBe(4);

    // Retry failed: only the four failed prompts go out again, and each slot still holds one result.
    healthy = true;
    const before = chatCalls().length;
    const retry = await api(`/batch/runs/${started.body.id}/retry-failed`, sid, { body: {} });
    expect(retry.status).toBe(202);
    const after = await waitState(sid, started.body.id, ['done']);
    expect(chatCalls().slice(before).map(promptOf).sort()).toEqual(['CUT please', 'FAIL500 please', 'HANG please', 'HTML please']);
    expect(after.results).toHaveLength(7);
    expect(after.results.every((r: any) => r.ok)).toBe(true);
    expect(after.results.find((r: any) => r.prompt_id === 'a').finished_at).toBe(by.a.finished_at);
    const again = await api(`/batch/runs/${started.body.id}/retry-failed`, sid, { body: {} });
    expect([again.status, again.body.error.code]).toEqual([409, 'nothing_to_retry']);
  });

  it('compares two endpoints side by side, judged by the model the visitor picked', async () => {
    const respond = (req: RecordedRequest): Behavior | undefined => {
      const system = String(req.body?.messages?.[0]?.content ?? '');
      if (system.startsWith('You grade answers'))
        return {
          kind: 'ok',
          content: req.body.messages[1].content.includes('Echo: polite') ? '{"score": 5, "reason": "kind"}' : '{"score": 2, "reason": "curt"}',
        };
      return undefined;
    };
    const { sid, bs } = await setup({ upstream: { respond }, config: { batch: { max_active_sessions_per_ip: 2 } } });
    const second = await api('/batch/sessions', sid, { body: { base_url: up!.url, api_key: KEY, model: 'test/free-model', label: 'other' } });
    expect(second.status).toBe(201);
    const custom = csvSuite([
      ['polite', 'polite reply', 'judge', 'Is the reply polite and helpful?'],
      ['json', '{"a": 1}', 'json', 'a'],
    ]);
    const body = { session_ids: [bs, second.body.id], custom_suite: custom, judge: { session_id: second.body.id } };
    const estimate = await api('/batch/estimate', sid, { body });
    expect(estimate.body).toMatchObject({
      prompts: 2,
      total: 4,
      endpoints: [
        { calls: 2, judge_calls: 0 },
        { calls: 4, judge_calls: 2 },
      ],
    });
    const started = await api('/batch/runs', sid, { body });
    const view = await waitState(sid, started.body.id, ['done']);
    expect(view.endpoints.map((e: any) => e.model)).toEqual(['test/cheap-model', 'test/free-model']);
    expect(view.metrics.map((m: any) => m.overall.count)).toEqual([2, 2]);
    const polite = view.results.filter((r: any) => r.prompt_id === 'polite');
    expect(polite.map((r: any) => [r.endpoint, r.check, r.judge?.score])).toEqual([
      [0, 'pass', 5],
      [1, 'pass', 5],
    ]);
    expect(polite[0].check_detail).toBe('judge test/free-model: 5/5 \u2014 kind');
    const judgeCalls = chatCalls().filter((r) => String(r.body.messages[0].content).startsWith('You grade answers'));
    expect(judgeCalls).toHaveLength(2);
    expect(judgeCalls.every((r) => r.body.model === 'test/free-model')).toBe(true);
    const json = view.results.filter((r: any) => r.prompt_id === 'json');
    expect(json.map((r: any) => r.check)).toEqual(['fail', 'fail']); // "Echo: {...}" is not JSON
    // One run per endpoint at a time (slow answers: the first must still be going when the second asks).
    up!.setLatency(300);
    const busy = await api('/batch/runs', sid, { body: { session_ids: [bs], suites: ['code-easy'] } });
    const busyToo = await api('/batch/runs', sid, { body: { session_ids: [bs], suites: ['code-easy'] } });
    expect(busy.status).toBe(202);
    expect([busyToo.status, busyToo.body.error.code]).toEqual([409, 'batch_session_busy']);
  });

  it('keeps every result through a restart mid-run: interrupted, then resumed without losing or repeating one', async () => {
    const dir = await makeTempDir('labcoat-batch-restart-');
    try {
      const { sid, bs } = await setup({ upstream: { latencyMs: 60 }, dataDir: dir.path });
      const started = await api('/batch/runs', sid, { body: { session_ids: [bs], suites: ['factual-easy', 'code-easy'], concurrency: 2 } });
      const id = started.body.id as string;
      await expect.poll(async () => (await api(`/batch/runs/${id}`, sid)).body.done, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(4);
      await server!.app.close({ graceMs: 3000 });
      await server!.store.close();
      const kept = JSON.parse(await readFile(join(dir.path, 'state.json'), 'utf8')).batch_runs[id];
      const keptSlots = Object.keys(kept.results);
      expect(keptSlots.length).toBeGreaterThanOrEqual(4);
      expect(keptSlots.length).toBeLessThan(20);

      server = await startTestServer({ env: { ALLOW_PRIVATE_ENDPOINTS: '1' }, dataDir: dir.path });
      const after = await api(`/batch/runs/${id}`, sid);
      expect(after.body).toMatchObject({ state: 'interrupted', done: keptSlots.length, error: { code: 'interrupted' } });
      const calls = chatCalls().length;
      expect((await api(`/batch/runs/${id}/resume`, sid, { body: {} })).status).toBe(202);
      const done = await waitState(sid, id, ['done']);
      expect(done.results).toHaveLength(20);
      expect(new Set(done.results.map((r: any) => r.slot)).size).toBe(20);
      for (const slot of keptSlots)
        expect(done.results.find((r: any) => r.slot === slot).finished_at).toBe(new Date(kept.results[slot].finished_at).toISOString());
      const answered = chatCalls()
        .slice(calls)
        .filter((r) => !String(r.body.messages[0].content).startsWith('You grade answers'));
      expect(answered).toHaveLength(20 - keptSlots.length);
    } finally {
      await server?.close();
      server = undefined;
      await dir.cleanup();
    }
  });

  it('cancels a run (what is done stays) and resumes the rest', async () => {
    const { sid, bs } = await setup({ upstream: { latencyMs: 80 } });
    const started = await api('/batch/runs', sid, { body: { session_ids: [bs], suites: ['creative-easy'], concurrency: 1 } });
    const id = started.body.id;
    await expect.poll(async () => (await api(`/batch/runs/${id}`, sid)).body.done, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(2);
    expect((await api(`/batch/runs/${id}/cancel`, sid, { body: {} })).status).toBe(202);
    const cancelled = await waitState(sid, id, ['cancelled']);
    expect(cancelled.done).toBeLessThan(10);
    expect((await api(`/batch/runs/${id}/resume`, sid, { body: {} })).status).toBe(202);
    expect((await waitState(sid, id, ['done'])).results).toHaveLength(10);
    const again = await api(`/batch/runs/${id}/resume`, sid, { body: {} });
    expect([again.status, again.body.error.code]).toEqual([409, 'nothing_to_resume']);
  });

  it('compares two models on one endpoint with the default limit of one session per address', async () => {
    const { sid, bs } = await setup();
    const dup = await api('/batch/runs', sid, { body: { session_ids: [bs], suites: ['code-easy', 'code-easy'] } });
    expect([dup.status, dup.body.error.code]).toEqual([422, 'invalid_request']);
    const started = await api('/batch/runs', sid, {
      body: { session_ids: [bs], compare_model: 'test/free-model', suites: ['factual-easy'], judge: { endpoint: 1 } },
    });
    expect(started.body).toMatchObject({ total: 20, estimate: { endpoints: [{ model: 'test/cheap-model' }, { model: 'test/free-model' }] } });
    const view = await waitState(sid, started.body.id, ['done']);
    expect(view.endpoints.map((e: any) => [e.session_id, e.model])).toEqual([
      [bs, 'test/cheap-model'],
      [bs, 'test/free-model'],
    ]);
    expect(view.judge).toEqual({ endpoint: 1, model: 'test/free-model' });
    const models = chatCalls()
      .filter((r) => !String(r.body.messages[0].content).startsWith('You grade'))
      .slice(1)
      .map((r) => r.body.model);
    expect(models.filter((m) => m === 'test/cheap-model')).toHaveLength(10);
    expect(models.filter((m) => m === 'test/free-model')).toHaveLength(10);
  });

  it('stops a run at its time limit, keeping what is done, and resumes it', async () => {
    const { sid, bs } = await setup({ upstream: { latencyMs: 150 }, config: { batch: { max_run_seconds: 1 } } });
    const started = await api('/batch/runs', sid, { body: { session_ids: [bs], suites: ['creative-medium'], concurrency: 1, judge: null } });
    const stopped = await waitState(sid, started.body.id, ['failed']);
    expect(stopped.error).toMatchObject({ code: 'run_time_limit', message: expect.stringContaining('Resume it') });
    expect(stopped.done).toBeGreaterThan(0);
    expect(stopped.done).toBeLessThan(10);
    up!.setLatency(0);
    expect((await api(`/batch/runs/${started.body.id}/resume`, sid, { body: {} })).status).toBe(202);
    expect((await waitState(sid, started.body.id, ['done'])).done).toBe(10);
  });

  it('keeps the failed results when a retry is cancelled before it lands', async () => {
    let healthy = false;
    const { sid, bs } = await setup({
      upstream: { respond: (req) => (!healthy && promptOf(req).includes('FAIL') ? { kind: 'error', status: 400 } : undefined) },
    });
    const started = await api('/batch/runs', sid, {
      body: {
        session_ids: [bs],
        custom_suite: csvSuite([
          ['a', 'FAIL me', '', ''],
          ['b', 'fine', '', ''],
        ]),
      },
    });
    const first = await waitState(sid, started.body.id, ['done']);
    expect(first.failed).toBe(1);
    // The retried call would now succeed, but slowly; cancelled before it lands, the old failure must stay.
    healthy = true;
    up!.setLatency(1000);
    const retry = await api(`/batch/runs/${started.body.id}/retry-failed`, sid, { body: {} });
    expect(retry.status).toBe(202);
    expect((await api(`/batch/runs/${started.body.id}/cancel`, sid, { body: {} })).status).toBe(202);
    const after = await waitState(sid, started.body.id, ['cancelled']);
    expect(after.results.map((r: any) => [r.prompt_id, r.ok])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });

  it('exports CSV (every column, formulas escaped) and JSON with metadata; only the owner sees the run', async () => {
    const { sid, bs } = await setup();
    const custom = csvSuite([
      ['f', '=HYPERLINK("http://evil.example")', '', ''],
      ['g', 'commas, "quotes"\nand lines', '', ''],
    ]);
    const started = await api('/batch/runs', sid, { body: { session_ids: [bs], custom_suite: custom } });
    const id = started.body.id;
    await waitState(sid, id, ['done']);
    const csvRes = await fetch(`${server!.url}/api/batch/runs/${id}/export?format=csv`, { headers: { 'X-Session-ID': sid } });
    expect(csvRes.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvRes.headers.get('content-disposition')).toContain(`labcoat-${id}.csv`);
    const rows = parse(await csvRes.text(), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.prompt)).toEqual(['\'=HYPERLINK("http://evil.example")', 'commas, "quotes"\nand lines']);
    expect(rows[0]!.answer).toBe('Echo: =HYPERLINK("http://evil.example")');
    expect(rows[0]).toMatchObject({ ok: 'true', model: 'test/cheap-model', suite_id: 'custom' });
    const json = await api(`/batch/runs/${id}/export?format=json`, sid);
    expect(json.body).toMatchObject({ labcoat: { kind: 'batch-run', version: '0.0.0-test' }, id, results: [{}, {}], metrics: [{ overall: { count: 2 } }] });
    const stranger = (await fetch(`${server!.url}/api/usage`)).headers.get('x-session-id')!;
    expect((await api(`/batch/runs/${id}`, stranger)).status).toBe(404);
    expect((await api(`/batch/runs/${id}/export?format=csv`, stranger)).status).toBe(404);
  });

  it('refuses bad uploads with the rows at fault, and too large ones with 413', async () => {
    const { sid, bs } = await setup();
    const bad = await api('/batch/suites/parse', sid, { body: { format: 'csv', text: 'prompt,max_tokens\nfine,10\n,10\nx,abc' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error).toMatchObject({
      code: 'invalid_suite',
      error_count: 2,
      rows: [
        { row: 3, field: 'prompt' },
        { row: 4, field: 'max_tokens' },
      ],
    });
    const ok = await api('/batch/suites/parse', sid, {
      body: { format: 'json', text: JSON.stringify({ name: 'Mine', prompts: [{ prompt: 'a', check: { type: 'json' } }] }) },
    });
    expect(ok.body).toMatchObject({ name: 'Mine', prompt_count: 1, checks: { json: 1 } });
    const huge = await api('/batch/runs', sid, {
      body: { session_ids: [bs], custom_suite: { format: 'csv', text: `prompt\n${'x,'.repeat(5 * 1024 * 1024)}` } },
    });
    expect([huge.status, huge.body.error.code]).toEqual([413, 'payload_too_large']);
    const none = await api('/batch/runs', sid, { body: { session_ids: [bs], suites: [] } });
    expect([none.status, none.body.error.code]).toEqual([400, 'no_suite']);
    expect(chatCalls()).toHaveLength(1); // only the connection test
  });

  it('answers questions about a run, streamed, from a summary of its results', async () => {
    const { sid, bs } = await setup();
    const started = await api('/batch/runs', sid, { body: { session_ids: [bs], suites: ['factual-easy'] } });
    await waitState(sid, started.body.id, ['done']);
    const res = await fetch(`${server!.url}/api/batch/runs/${started.body.id}/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Session-ID': sid },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Which suite was slowest?' }] }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const deltas = [...text.matchAll(/event: delta\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!).text).join('');
    expect(deltas).toBe('Echo: Which suite was slowest?');
    expect(text).toMatch(/event: done\ndata: .*"model":"test\/cheap-model"/);
    const sent = chatCalls().at(-1)!;
    expect(sent.body.stream).toBe(true);
    expect(sent.body.messages[0].content).toContain('Endpoint 1: model test/cheap-model');
    expect(sent.body.messages[0].content).toContain('factual-easy: 10/10 ok');
    // A model this Space offers instead: in data-only mode there is none.
    const space = await api(`/batch/runs/${started.body.id}/chat`, sid, {
      body: { messages: [{ role: 'user', content: 'hi' }], space_model: 'openai/gpt-4o-mini' },
    });
    expect([space.status, space.body.error.code]).toEqual([402, 'no_api_key']);
  });

  it("removes a session's runs with it: on DELETE, and when it expires", async () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 12));
    const { sid, bs } = await setup({ clock, config: { deployment: { session_timeout_minutes: 600 } } });
    const first = await api('/batch/runs', sid, { body: { session_ids: [bs], suites: ['code-easy'] } });
    await waitState(sid, first.body.id, ['done']);
    clock.advance(61 * 60_000);
    expect((await api('/batch/sessions', sid)).body.sessions).toEqual([]);
    expect(server!.store.data.batch_runs[first.body.id]).toBeUndefined();
    expect((await api(`/batch/runs/${first.body.id}`, sid)).status).toBe(404);
    const next = await api('/batch/sessions', sid, { body: { base_url: up!.url, api_key: KEY, model: 'test/cheap-model' } });
    const run = await api('/batch/runs', sid, { body: { session_ids: [next.body.id], suites: ['code-easy'] } });
    expect((await api(`/batch/sessions/${next.body.id}`, sid, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/batch/runs/${run.body.id}`, sid)).status).toBe(404);
    await server!.store.flush();
    const disk = JSON.parse(await readFile(join(server!.dataDir, 'state.json'), 'utf8'));
    expect(disk.batch_runs).toEqual({});
    expect(disk.batch_sessions).toEqual({});
  });
});
