import { afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../../helpers/fake-upstream.js';
import { researchResponder } from '../../../helpers/research-fake.js';
import { startTestServer, type TestServer } from '../../../helpers/test-server.js';
import { TestSocket } from '../../../helpers/ws-client.js';

const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const PAID = 'openai/gpt-4o-mini';
const GOAL = 'Why do some people sleep better after eating fermented food?';

vi.setConfig({ testTimeout: 30_000 });

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0)) await x.close();
});

async function setup(overrides: Parameters<typeof researchResponder>[0] = {}, config: Record<string, unknown> = {}) {
  const upstream = await startFakeUpstream({ respond: researchResponder(overrides) });
  const server = await startTestServer({
    env: { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: upstream.url },
    config: {
      cost_control: {
        allowed_models: { development: [FREE, PAID] },
        tiers: { anonymous: [FREE, PAID] },
        per_session_limit_requests: 100,
        requests_per_hour_per_ip: 1000,
      },
      deployment: { max_cycles_per_session: 5, max_hypotheses_per_cycle: 5 },
      ...config,
    },
  });
  open.push(server, upstream);
  const session = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
  const api = (path: string, init: { method?: string; body?: unknown; session?: string } = {}) =>
    fetch(`${server.url}/api${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'Content-Type': 'application/json', 'X-Session-ID': init.session ?? session },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  return { server, upstream, session, api };
}

/** Deep reviews the plan counted for a cycle that its leaders did not need (verified in an earlier cycle). */
const skippedDeepReviews = (run: any, cycle: number) => run.settings.top_k - run.hypotheses.filter((h: any) => h.deep_review?.cycle === cycle).length;
const chatCalls = (up: FakeUpstream) => up.requests.filter((r) => r.path === '/v1/chat/completions');
const waitIdle = (api: Awaited<ReturnType<typeof setup>>['api'], id: string, state = 'idle') =>
  vi.waitFor(
    async () => {
      const run = (await (await api(`/research/runs/${id}`)).json()) as any;
      expect(run.state).toBe(state);
      return run;
    },
    { timeout: 20_000, interval: 50 },
  );

describe('a research run', () => {
  it('runs two cycles with exactly the planned calls, constant Elo sum, the meta-review fed forward, and live events in order', async () => {
    const { upstream, api, server } = await setup();
    const res = await api('/research/runs', { body: { goal: GOAL, model: FREE, hypotheses: 3, cycles: 2 } });
    expect(res.status).toBe(202);
    const started = (await res.json()) as any;
    expect(started.estimate).toMatchObject({ calls: 39, cycles: 2 });
    const socket = await TestSocket.open(server.wsUrl);
    socket.send({ type: 'subscribe', topic: `research:${started.id}` });
    const run = await waitIdle(api, started.id);

    expect(run.cycles.map((c: any) => c.state)).toEqual(['done', 'done']);
    // Exactly the plan, except that a leader verified in depth in an earlier cycle is not verified again.
    expect(run.cycles[0].calls).toBe(run.cycles[0].plan.calls);
    expect(run.cycles[1].calls).toBe(run.cycles[1].plan.calls - skippedDeepReviews(run, 1));
    expect(chatCalls(upstream)).toHaveLength(run.usage.calls);
    expect(run.usage.calls).toBe(started.estimate.calls - skippedDeepReviews(run, 1));
    // Elo only moves points between hypotheses.
    const sum = run.hypotheses.reduce((s: number, h: any) => s + h.elo, 0);
    expect(sum).toBeCloseTo(1200 * run.hypotheses.length, 6);
    expect(run.matches.length).toBeGreaterThan(0);
    expect(run.matches.filter((m: any) => m.debate).length).toBe(2);
    // Cycle 1's meta-review steers cycle 2's generation.
    const advice = run.meta_reviews[0].advice as string;
    const generations = chatCalls(upstream).filter((r) => /proposing research hypotheses/.test(r.body.messages[0].content));
    expect(generations).toHaveLength(2);
    expect(generations[1]!.body.messages[1].content).toContain(advice);
    expect(generations[0]!.body.messages[1].content).not.toContain('META-ADVICE');
    // Children carry their parents and a named strategy; the overview ranks real ids.
    const children = run.hypotheses.filter((h: any) => h.origin === 'evolved');
    expect(children.length).toBe(4);
    for (const c of children) expect(c.parents.length).toBeGreaterThan(0);
    expect(run.overview.ranked.length).toBeGreaterThan(0);
    for (const r of run.overview.ranked) expect(run.hypotheses.map((h: any) => h.id)).toContain(r.id);
    expect(run.leaderboard[0]).toBe([...run.hypotheses].filter((h: any) => !h.dropped && !h.duplicate_of).sort((a: any, b: any) => b.elo - a.elo)[0].id);

    // A late subscriber got a snapshot first; step progress arrives in order within a cycle (the
    // first one seen from its start: the subscriber may have missed the start of cycle 1).
    await socket.next((m) => m.type === 'status' && m.state === 'idle');
    const seen = socket.messages.filter((m) => m.type === 'progress').map((m) => m.step as string);
    const order = seen.slice(seen.indexOf('generate'));
    expect(order.length).toBeGreaterThan(0);
    const firstSeen = (s: string) => order.indexOf(s);
    expect(firstSeen('generate')).toBe(0);
    expect(firstSeen('generate')).toBeLessThan(firstSeen('review'));
    expect(firstSeen('review')).toBeLessThan(firstSeen('tournament'));
    expect(firstSeen('tournament')).toBeLessThan(firstSeen('evolve'));
    expect(firstSeen('evolve')).toBeLessThan(firstSeen('meta_review'));
    expect(socket.messages.some((m) => m.type === 'event' && m.kind === 'match' && typeof (m.match as any).elo_delta === 'number')).toBe(true);
    socket.ws.close();
  });

  it('refuses a goal the model flags, before any other spend', async () => {
    const { upstream, api } = await setup({
      screen: () => ({ kind: 'ok', content: JSON.stringify({ allowed: false, reason: 'It asks for help with a weapon.' }) }),
    });
    const { id } = (await (await api('/research/runs', { body: { goal: 'How could one build something dangerous at home?', model: FREE } })).json()) as any;
    const run = await waitIdle(api, id, 'refused');
    expect(run.error.code).toBe('goal_refused');
    expect(run.error.message).toContain('weapon');
    expect(chatCalls(upstream)).toHaveLength(1);
    expect(run.hypotheses).toEqual([]);
  });

  it('keeps runs per session: another session reads it through the link but cannot change it', async () => {
    const { api } = await setup();
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE } })).json()) as any;
    await waitIdle(api, id);
    const other = (await fetch(`${(open[0] as TestServer).url}/api/usage`)).headers.get('x-session-id')!;
    const seen = (await (await api(`/research/runs/${id}`, { session: other })).json()) as any;
    expect(seen.owner).toBe(false);
    expect(seen.session_id).toBeUndefined();
    expect((await api(`/research/runs/${id}/cycles`, { body: {}, session: other })).status).toBe(403);
    expect(((await (await api('/research/runs', { session: other })).json()) as any).runs).toEqual([]);
    expect(((await (await api('/research/runs')).json()) as any).runs.map((r: any) => r.id)).toEqual([id]);
  });

  it('carries a scientist’s review between cycles to the next generation, judges and meta-review (finding 1)', async () => {
    const { api, upstream } = await setup();
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE } })).json()) as any;
    const first = await waitIdle(api, id);
    const target = first.hypotheses.find((h: any) => !h.duplicate_of && !h.dropped);
    const before = chatCalls(upstream).length;
    const score = { score: 2, reason: 'too costly' };
    const body = { hypothesis_id: target.id, novelty: score, feasibility: score, testability: score, summary: 'SCIENTIST-REVIEW-77: needs a cheaper assay' };
    expect((await api(`/research/runs/${id}/reviews`, { body })).status).toBe(201);
    expect((await api(`/research/runs/${id}/cycles`, { body: { cycles: 1 } })).status).toBe(202);
    await waitIdle(api, id);
    const next = chatCalls(upstream)
      .slice(before)
      .map((r) => ({ system: r.body.messages[0].content as string, user: r.body.messages[1].content as string }));
    const said = (re: RegExp) => next.filter((c) => re.test(c.system)).map((c) => c.user);
    expect(said(/proposing research hypotheses/)[0]).toContain('SCIENTIST-REVIEW-77');
    expect(said(/meta-review/)[0]).toContain('SCIENTIST-REVIEW-77');
    const judged = [...said(/judge a match/), ...said(/judge a scientific debate/)].filter((u) => u.includes(target.title));
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.every((u) => u.includes('SCIENTIST-REVIEW-77'))).toBe(true);
  });

  it('keeps a safety-flagged hypothesis out of matches, evolution and the overview until the scientist clears it (finding 5)', async () => {
    let flagNext = true;
    const { api } = await setup({
      review: () => {
        if (!flagNext) return undefined;
        flagNext = false; // the first review of the run flags its hypothesis
        const score = { score: 4, reason: 'r' };
        const review = {
          novelty: score,
          feasibility: score,
          testability: score,
          plausibility: score,
          safety: { flag: true, note: 'dual use' },
          summary: 'Risky.',
        };
        return { kind: 'ok', content: JSON.stringify(review) };
      },
    });
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE, hypotheses: 3, cycles: 1 } })).json()) as any;
    const run = await waitIdle(api, id);
    const held = run.hypotheses.find((h: any) => h.reviews.some((r: any) => r.safety.flag));
    expect(held).toBeDefined();
    expect(run.matches.some((m: any) => m.a === held.id || m.b === held.id)).toBe(false);
    expect(run.hypotheses.some((h: any) => h.parents.includes(held.id))).toBe(false);
    expect(run.overview.ranked.map((x: any) => x.id)).not.toContain(held.id);
    expect(run.leaderboard).not.toContain(held.id);
    // The scientist clears the flag: it competes in the next cycle.
    const cleared = await api(`/research/runs/${id}/hypotheses/${held.id}`, { method: 'PATCH', body: { safety_cleared: true } });
    expect(cleared.status).toBe(200);
    expect((await api(`/research/runs/${id}/cycles`, { body: { cycles: 1 } })).status).toBe(202);
    const next = await waitIdle(api, id);
    expect(next.leaderboard).toContain(held.id);
    expect(next.matches.some((m: any) => m.cycle === 1 && (m.a === held.id || m.b === held.id))).toBe(true);
  });

  it('screens the scientist’s notes and own hypotheses like the goal, in the plan; refused input reaches no prompt (finding 5)', async () => {
    const { api, upstream } = await setup({
      screen: (rec) =>
        /added this input/.test(rec.body.messages[1].content) ? { kind: 'ok', content: JSON.stringify({ allowed: false, reason: 'Seeks harm.' }) } : undefined,
    });
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE, hypotheses: 2, cycles: 1 } })).json()) as any;
    await waitIdle(api, id);
    const mine = (await (await api(`/research/runs/${id}/hypotheses`, { body: { title: 'BAD-IDEA title', statement: 'A harmful plan.' } })).json()) as any;
    await api(`/research/runs/${id}/notes`, { body: { text: 'BAD-NOTE-13' } });
    const more = (await (await api(`/research/runs/${id}/cycles`, { body: { cycles: 1 } })).json()) as any;
    expect(more.estimate.by_step.screen.calls).toBe(1); // the input's screen is planned and priced
    const before = chatCalls(upstream).length;
    const run = await waitIdle(api, id);
    expect(run.cycles[1].steps_done[0]).toBe('screen_input');
    // The plan counted the refused hypothesis as an entrant (review and matches): never more, here fewer.
    expect(run.cycles[1].calls).toBeLessThan(run.cycles[1].plan.calls);
    expect(run.notes[0].refused).toBe('Seeks harm.');
    const h = run.hypotheses.find((x: any) => x.id === mine.id);
    expect(h.refused).toBe('Seeks harm.');
    expect(h.reviews).toEqual([]);
    expect(run.matches.some((m: any) => m.a === mine.id || m.b === mine.id)).toBe(false);
    const later = chatCalls(upstream)
      .slice(before)
      .map((r) => r.body.messages[1].content as string)
      .filter((u) => !/added this input/.test(u));
    expect(later.some((u) => u.includes('BAD-NOTE-13') || u.includes('BAD-IDEA'))).toBe(false);
  });

  it('writes a research plan with the screen, gives it to every prompt, and lets the scientist edit it', async () => {
    const { api, upstream } = await setup();
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE, hypotheses: 2, cycles: 1 } })).json()) as any;
    const run = await waitIdle(api, id);
    expect(run.plan).toEqual({
      objective: 'PLAN-OBJECTIVE: find testable mechanisms behind the goal.',
      preferences: ['mechanisms over correlations'],
      constraints: ['human data only'],
      attributes: ['a measurable outcome'],
      domain: 'biology',
    });
    const users = chatCalls(upstream).map((r) => r.body.messages[1].content as string);
    expect(users[0]).toContain('turn the goal into a research plan');
    // Every call after the screen (generation, reviews, judges, debates, evolution, meta-review, overview) reads it.
    expect(users.slice(1).every((u) => u.includes('Research plan (follow it):\nObjective: PLAN-OBJECTIVE'))).toBe(true);

    const edited = { objective: 'EDITED-OBJECTIVE: only dietary interventions.', constraints: ['under $10,000'] };
    expect((await api(`/research/runs/${id}/plan`, { method: 'PUT', body: edited })).status).toBe(200);
    const bad = await api(`/research/runs/${id}/plan`, { method: 'PUT', body: { objective: '' } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as any).error.message).toMatch(/objective/);
    const before = chatCalls(upstream).length;
    await api(`/research/runs/${id}/cycles`, { body: { cycles: 1 } });
    const next = await waitIdle(api, id);
    expect(next.plan).toMatchObject({ objective: 'EDITED-OBJECTIVE: only dietary interventions.', constraints: ['under $10,000'], preferences: [] });
    const later = chatCalls(upstream)
      .slice(before)
      .map((r) => r.body.messages[1].content as string);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((u) => u.includes('Objective: EDITED-OBJECTIVE') && !u.includes('PLAN-OBJECTIVE'))).toBe(true);
  });

  it('drafts a preregistration of a hypothesis as a Markdown download, and 404s an unknown one', async () => {
    const { api } = await setup();
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE, hypotheses: 2, cycles: 1 } })).json()) as any;
    const run = await waitIdle(api, id);
    const leader = run.leaderboard[0];
    const res = await api(`/research/runs/${id}/hypotheses/${leader}/preregistration`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(res.headers.get('content-disposition')).toContain(`labcoat-${id}-${leader}-preregistration.md`);
    const md = await res.text();
    expect(md).toMatch(/^# Preregistration: H\d\. /);
    expect(md).toContain('## Falsification criterion');
    expect(md).toContain('Ranked 1 of');
    const missing = await api(`/research/runs/${id}/hypotheses/h_nope/preregistration`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe('hypothesis_not_found');
  });

  it('lets the scientist add a hypothesis and notes between cycles; the next cycle reviews it and pits it', async () => {
    const { api, upstream } = await setup();
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE } })).json()) as any;
    await waitIdle(api, id);
    const mine = (await (
      await api(`/research/runs/${id}/hypotheses`, {
        body: { title: 'Scientist idea about yeast', statement: 'Yeast metabolites shorten sleep onset in adults.' },
      })
    ).json()) as any;
    expect((await api(`/research/runs/${id}/notes`, { body: { text: 'NOTE-42: focus on adolescents' } })).status).toBe(201);
    expect((await api(`/research/runs/${id}/cycles`, { body: { cycles: 1 } })).status).toBe(202);
    const run = await waitIdle(api, id);
    const h = run.hypotheses.find((x: any) => x.id === mine.id);
    expect(h.reviews.some((r: any) => r.by === 'model')).toBe(true);
    expect(run.matches.some((m: any) => m.a === mine.id || m.b === mine.id)).toBe(true);
    const gen = chatCalls(upstream)
      .filter((r) => /proposing research hypotheses/.test(r.body.messages[0].content))
      .at(-1)!;
    expect(gen.body.messages[1].content).toContain('NOTE-42');
    expect(run.cycles[1].calls).toBe(run.cycles[1].plan.calls - skippedDeepReviews(run, 1));
  });

  it('fails a cycle when the model keeps answering broken JSON (one repair), keeping what was done; resume continues', async () => {
    let broken = true;
    const { api, upstream } = await setup({ meta_review: () => (broken ? { kind: 'ok', content: 'not json at all' } : undefined) });
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE } })).json()) as any;
    const failed = await waitIdle(api, id, 'failed');
    expect(failed.error.code).toBe('upstream_bad_response');
    expect(failed.cycles[0].steps_done).toEqual(['screen', 'generate', 'review', 'tournament', 'deep_review', 'evolve', 'proximity']);
    expect(failed.hypotheses.length).toBeGreaterThan(0);
    const metaCalls = chatCalls(upstream).filter((r) => /meta-review/.test(r.body.messages[0].content));
    expect(metaCalls).toHaveLength(2); // the call and its one repair
    broken = false;
    const before = chatCalls(upstream).length;
    expect((await api(`/research/runs/${id}/resume`, { body: {} })).status).toBe(202);
    const done = await waitIdle(api, id);
    expect(done.cycles[0].state).toBe('done');
    expect(chatCalls(upstream).length - before).toBe(2); // only the meta-review and the overview again
  });

  it('stops a cycle as failed when the upstream fails mid-way: what is done stays, nothing stays reserved, resume finishes it', async () => {
    let failing = false;
    const { api, server } = await setup({ match: () => (failing ? { kind: 'error', status: 400 } : undefined) });
    failing = true;
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: PAID } })).json()) as any;
    const failed = await waitIdle(api, id, 'failed');
    expect(failed.error.code).toBe('upstream_bad_request');
    expect(failed.cycles[0]).toMatchObject({ state: 'failed', steps_done: ['screen', 'generate', 'review'] });
    expect(failed.hypotheses.every((h: any) => h.reviews.length === 1)).toBe(true);
    const usage = (await (await fetch(`${server.url}/api/usage`)).json()) as any;
    expect(usage.global.reserved_usd).toBe(0);
    expect(usage.global.spent_usd_today).toBeGreaterThan(0);
    failing = false;
    await api(`/research/runs/${id}/resume`, { body: {} });
    const done = await waitIdle(api, id);
    expect(done.cycles[0].state).toBe('done');
    // Reviews were not asked again.
    expect(done.hypotheses.filter((h: any) => h.origin === 'generated').every((h: any) => h.reviews.length === 1)).toBe(true);
  });

  it('cancels during a debate: what is done stays, the session gets its unrun cycles back', async () => {
    const { api, upstream } = await setup({ advocate: () => ({ kind: 'ok', content: 'A slow argument.', latencyMs: 3000 }) });
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE, cycles: 3 } })).json()) as any;
    await vi.waitFor(() => expect(chatCalls(upstream).some((r) => /advocate/.test(r.body.messages[0].content))).toBe(true), { timeout: 10_000 });
    const res = await api(`/research/runs/${id}/cancel`, { body: {} });
    expect(res.status).toBe(200);
    const run = await waitIdle(api, id);
    expect(run.cycles).toHaveLength(1);
    expect(run.cycles[0].state).toBe('cancelled');
    expect(run.hypotheses.length).toBe(3);
    expect(run.hypotheses.every((h: any) => h.reviews.length === 1)).toBe(true);
    const usage = (await (await api('/usage')).json()) as any;
    expect(usage.session.cycles_used).toBe(1); // two of the three were never run
  });

  it('keeps two visitors\u2019 runs apart when they run at once', async () => {
    const { api, upstream, server } = await setup();
    const other = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
    const [a, b] = await Promise.all([
      api('/research/runs', { body: { goal: `${GOAL} (visitor A)`, model: FREE } }).then((r) => r.json() as Promise<any>),
      api('/research/runs', { body: { goal: 'How do corals recover after a marine heatwave? (visitor B)', model: FREE }, session: other }).then(
        (r) => r.json() as Promise<any>,
      ),
    ]);
    const [ra, rb] = await Promise.all([waitIdle(api, a.id), waitIdle(api, b.id)]);
    const ids = (r: any) => new Set(r.hypotheses.map((h: any) => h.id));
    expect([...ids(ra)].some((x) => ids(rb).has(x))).toBe(false);
    expect(ra.usage.calls).toBe(ra.cycles[0].plan.calls);
    expect(rb.usage.calls).toBe(rb.cycles[0].plan.calls);
    const prompts = chatCalls(upstream).map((r) => r.body.messages[1].content as string);
    expect(prompts.filter((p) => p.includes('visitor A') && p.includes('visitor B'))).toEqual([]);
    expect(prompts.filter((p) => p.includes('visitor A'))).toHaveLength(ra.usage.calls);
  });

  it('refuses the next cycle once the session\u2019s cycles are used', async () => {
    const { api } = await setup({}, { deployment: { max_cycles_per_session: 1, max_hypotheses_per_cycle: 5 } });
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE } })).json()) as any;
    await waitIdle(api, id);
    const res = await api(`/research/runs/${id}/cycles`, { body: { cycles: 1 } });
    expect(res.status).toBe(429);
    const { error } = (await res.json()) as any;
    expect(error.code).toBe('session_cycle_limit');
    expect(error.message).toMatch(/own OpenRouter key/);
  });

  it('keeps the first N when the model returns more hypotheses than asked, and what came when fewer (never more calls than planned)', async () => {
    let asked = 0;
    const { api } = await setup({
      generate: () => {
        asked++;
        const drafts = (n: number) =>
          Array.from({ length: n }, (_, i) => ({
            title: `Idea ${asked}-${i} on ${['ferments', 'melatonin', 'cortisol', 'yogurt', 'kimchi'][i]}`,
            statement: `Statement ${['alpha', 'beta', 'gamma', 'delta', 'epsilon'][i]} about ${['ferments', 'melatonin', 'cortisol', 'yogurt', 'kimchi'][i]}.`,
            rationale: 'Because.',
            test: 'Measure.',
          }));
        return { kind: 'ok', content: JSON.stringify({ hypotheses: drafts(asked === 1 ? 5 : 1) }) };
      },
    });
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE, hypotheses: 3 } })).json()) as any;
    const first = await waitIdle(api, id);
    expect(first.hypotheses.filter((h: any) => h.origin === 'generated')).toHaveLength(3);
    await api(`/research/runs/${id}/cycles`, { body: { cycles: 1 } });
    const second = await waitIdle(api, id);
    expect(second.hypotheses.filter((h: any) => h.origin === 'generated' && h.cycle === 1)).toHaveLength(1);
    expect(second.cycles[1].calls).toBeLessThan(second.cycles[1].plan.calls);
  });

  it('answers 404 for ids that name Object\u2019s own properties, over HTTP and live, and keeps serving', async () => {
    const { api, server } = await setup();
    for (const id of ['constructor', '__proto__', 'toString']) expect((await api(`/research/runs/${id}`)).status, id).toBe(404);
    const socket = await TestSocket.open(server.wsUrl);
    for (const topic of ['research:constructor', 'job:constructor']) socket.send({ type: 'subscribe', topic });
    await socket.next((m) => m.type === 'subscribed' && m.topic === 'job:constructor');
    socket.send({ type: 'ping' });
    await socket.next((m) => m.type === 'pong');
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    socket.ws.close();
  });

  it('never lets a run on a visitor\u2019s key continue on the Space\u2019s key without counting its cycles', async () => {
    const { api } = await setup({}, { deployment: { max_cycles_per_session: 2, max_hypotheses_per_cycle: 5 } });
    const own = 'sk-or-v1-visitor-0123456789abcdef';
    const res = await fetch(`${(open[0] as TestServer).url}/api/research/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${own}`, 'X-Session-ID': (await api('/usage')).headers.get('x-session-id')! },
      body: JSON.stringify({ goal: GOAL, model: FREE, cycles: 4 }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as any;
    const run = await vi.waitFor(async () => {
      const r = (await (await api(`/research/runs/${id}`)).json()) as any;
      expect(['idle', 'running', 'queued']).toContain(r.state);
      return r;
    });
    expect(run.key_mode).toBe('byok');
    expect(((await (await api('/usage')).json()) as any).session.cycles_used).toBe(0); // the visitor paid
    await api(`/research/runs/${id}/cancel`, { body: {} });
    await waitIdle(api, id);
    // Going on without the key means the Space pays: the cycles are counted, and 4 exceed the quota of 2.
    const more = await api(`/research/runs/${id}/cycles`, { body: { cycles: 4 } });
    expect(more.status).toBe(429);
    expect(((await more.json()) as any).error.code).toBe('session_cycle_limit');
  });

  it('bounds the scientist\u2019s waiting hypotheses per cycle', async () => {
    const { api } = await setup({}, { deployment: { max_cycles_per_session: 5, max_hypotheses_per_cycle: 2 } });
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE, hypotheses: 2 } })).json()) as any;
    await waitIdle(api, id);
    const add = (n: number) =>
      api(`/research/runs/${id}/hypotheses`, {
        body: { title: `Mine ${n} about ${['yeast', 'kefir', 'miso'][n]}`, statement: `A claim about ${['yeast', 'kefir', 'miso'][n]} and sleep.` },
      });
    expect((await add(0)).status).toBe(201);
    expect((await add(1)).status).toBe(201);
    const third = await add(2);
    expect(third.status).toBe(409);
    expect(((await third.json()) as any).error.code).toBe('too_many_waiting');
  });

  it('gives a refused goal\u2019s cycles back, and screens again a run cancelled before its goal passed', async () => {
    let allowed = false;
    const { api, upstream } = await setup({
      screen: () => (allowed ? undefined : { kind: 'ok', content: JSON.stringify({ allowed: false, reason: 'Not research.' }) }),
    });
    const { id } = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE, cycles: 3 } })).json()) as any;
    await waitIdle(api, id, 'refused');
    expect(((await (await api('/usage')).json()) as any).session.cycles_used).toBe(0);
    // A run whose screen never finished is screened again on its next cycle.
    allowed = true;
    const hang = await setup({ screen: () => ({ kind: 'ok', content: JSON.stringify({ allowed: true, reason: 'ok' }), latencyMs: 3000 }) });
    const run2 = (await (await hang.api('/research/runs', { body: { goal: GOAL, model: FREE } })).json()) as any;
    await vi.waitFor(() => expect(chatCalls(hang.upstream)).toHaveLength(1));
    await hang.api(`/research/runs/${run2.id}/cancel`, { body: {} });
    await waitIdle(hang.api, run2.id);
    expect((await hang.api(`/research/runs/${run2.id}/cycles`, { body: { cycles: 1 } })).status).toBe(202);
    await vi.waitFor(() => expect(chatCalls(hang.upstream).filter((r) => /screen research goals/.test(r.body.messages[0].content))).toHaveLength(2), {
      timeout: 10_000,
    });
    expect(upstream).toBeDefined();
  });

  it('refuses to cancel or resume a research job through the generic job routes', async () => {
    const { api } = await setup({ generate: () => ({ kind: 'ok', content: JSON.stringify({ hypotheses: [] }), latencyMs: 2000 }) });
    const started = (await (await api('/research/runs', { body: { goal: GOAL, model: FREE } })).json()) as any;
    const res = await api(`/jobs/${started.queue.id}/cancel`, { body: {} });
    expect(res.status).toBe(409);
    expect(((await res.json()) as any).error.code).toBe('managed_job');
    expect((await api(`/research/runs/${started.id}/cancel`, { body: {} })).status).toBe(200);
  });

  it('refuses bad goals with a clear message', async () => {
    const { api } = await setup();
    for (const goal of ['', 'short', 'x'.repeat(5001), 'Study <script>alert(1)</script> sleep please']) {
      const res = await api('/research/runs', { body: { goal, model: FREE } });
      expect(res.status, goal.slice(0, 20)).toBe(422);
      expect(((await res.json()) as any).error.code).toBe('invalid_request');
    }
  });

  it('exports Markdown (escaped) and JSON', async () => {
    const { api } = await setup();
    const { id } = (await (await api('/research/runs', { body: { goal: `${GOAL} & more`, model: FREE } })).json()) as any;
    await waitIdle(api, id);
    const md = await (await api(`/research/runs/${id}/export?format=md`)).text();
    expect(md).toContain('# Research run');
    expect(md).toContain('&amp; more');
    expect(md).toContain('## Leaderboard');
    const json = (await (await api(`/research/runs/${id}/export?format=json`)).json()) as any;
    expect(json).toMatchObject({ id, simulated: false });
    expect(json.session_id).toBeUndefined();
  });
});
