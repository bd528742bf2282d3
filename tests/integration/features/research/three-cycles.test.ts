/**
 * Issue 17's scripted run: three cycles against the scripted model, with the scientist acting
 * between them, showing every part of the reasoning at once.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FakeUpstream, startFakeUpstream } from '../../../helpers/fake-upstream.js';
import { researchResponder } from '../../../helpers/research-fake.js';
import { startTestServer } from '../../../helpers/test-server.js';

const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const GOAL = 'Why do some people sleep better after eating fermented food?';

vi.setConfig({ testTimeout: 120_000 });

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0)) await x.close();
});

const chats = (up: FakeUpstream) => up.requests.filter((r) => r.path === '/v1/chat/completions');

describe('a three-cycle research run, the paper’s way', () => {
  it('plans, verifies leaders in depth, judges fairly, rotates every strategy, and listens to the scientist', async () => {
    let reviews = 0;
    const upstream = await startFakeUpstream({
      respond: researchResponder({
        // The fifth model review flags its hypothesis for safety.
        review: () => {
          if (++reviews !== 5) return undefined;
          const s = { score: 3, reason: 'r' };
          const flagged = { novelty: s, feasibility: s, testability: s, plausibility: s, safety: { flag: true, note: 'dual use' }, summary: 'FLAGGED.' };
          return { kind: 'ok', content: JSON.stringify(flagged) };
        },
      }),
    });
    const server = await startTestServer({
      env: { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: upstream.url },
      config: {
        cost_control: {
          allowed_models: { development: [FREE] },
          tiers: { anonymous: [FREE] },
          per_session_limit_requests: 100,
          requests_per_hour_per_ip: 1000,
        },
        deployment: { max_cycles_per_session: 10, max_hypotheses_per_cycle: 5 },
      },
    });
    open.push(server, upstream);
    const session = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
    const api = (path: string, body?: unknown) =>
      fetch(`${server.url}/api${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Session-ID': session },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const idle = (id: string) =>
      vi.waitFor(
        async () => {
          const run = (await (await api(`/research/runs/${id}`)).json()) as any;
          expect(run.state).toBe('idle');
          return run;
        },
        { timeout: 45_000, interval: 50 },
      );

    const settings = { top_k: 2, matches_per_entrant: 2, debate: true, debate_pairs: 1, debate_turns: 3 };
    const started = (await (await api('/research/runs', { goal: GOAL, model: FREE, hypotheses: 3, cycles: 1, settings })).json()) as any;
    let run = await idle(started.id);
    const planned = [started.estimate.calls];

    // Between cycles 1 and 2 the scientist reviews the leader.
    const leader = run.hypotheses.find((h: any) => h.id === run.leaderboard[0]);
    const s = { score: 2, reason: 'costly' };
    await api(`/research/runs/${started.id}/reviews`, {
      hypothesis_id: leader.id,
      novelty: s,
      feasibility: s,
      testability: s,
      summary: 'SCIENTIST-SAYS-COSTLY',
    });
    const beforeCycle2 = chats(upstream).length;
    for (let i = 0; i < 2; i++) {
      const more = (await (await api(`/research/runs/${started.id}/cycles`, { cycles: 1 })).json()) as any;
      planned.push(more.estimate.calls);
      run = await idle(started.id);
    }

    const calls = chats(upstream).map((r) => ({ system: r.body.messages[0].content as string, user: r.body.messages[1].content as string }));
    // The plan reached every prompt after the screen.
    expect(run.plan.objective).toMatch(/^PLAN-OBJECTIVE/);
    expect(calls.slice(1).every((c) => c.user.includes('Research plan (follow it):'))).toBe(true);
    // Calls never above the plan, cycle by cycle.
    run.cycles.forEach((c: any, i: number) => {
      expect(c.calls).toBeLessThanOrEqual(c.plan.calls);
      expect(c.plan.calls).toBe(planned[i]);
    });
    expect(calls).toHaveLength(run.usage.calls);
    // Deep reviews on the top k: both leaders of cycle 1, then at most k a cycle, each hypothesis once.
    const deepIn = (c: number) => run.hypotheses.filter((h: any) => h.deep_review?.cycle === c).length;
    expect(deepIn(0)).toBe(2);
    expect(deepIn(1) + deepIn(2)).toBeLessThanOrEqual(4);
    const deepCalls = calls.filter((c) => /verify a leading research hypothesis/.test(c.system)).length;
    expect(deepCalls).toBe(deepIn(0) + deepIn(1) + deepIn(2));
    // Random order recorded per match, and the judge's position bias computed from it.
    expect(run.position_bias.matches).toBe(run.matches.length);
    expect(run.position_bias.first_won).toBe(run.matches.filter((m: any) => m.winner === m.a).length);
    const entrantsFirst = run.matches.filter((m: any) => {
      const a = run.hypotheses.find((h: any) => h.id === m.a);
      return a.cycle === m.cycle;
    }).length;
    expect(entrantsFirst).toBeLessThan(run.matches.length); // the newcomer is not always A
    // Balanced debates, the opener alternating.
    const debates = run.matches.filter((m: any) => m.debate).map((m: any) => m.debate.map((t: any) => t.speaker).join(''));
    expect(debates).toEqual(['ABjudge', 'BAjudge', 'ABjudge']);
    // All six strategies across the run.
    expect(new Set(run.hypotheses.map((h: any) => h.strategy).filter(Boolean))).toEqual(
      new Set(['combine', 'simplify', 'ground', 'out_of_the_box', 'feasibility', 'inspiration']),
    );
    // The scientist's review reached the next meta-review and every judge of that hypothesis.
    const after = calls.slice(beforeCycle2);
    expect(after.find((c) => /meta-review/.test(c.system))!.user).toContain('SCIENTIST-SAYS-COSTLY');
    const judged = after.filter((c) => /judge a (match|scientific debate)/.test(c.system) && c.user.includes(leader.title));
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.every((c) => c.user.includes('SCIENTIST-SAYS-COSTLY'))).toBe(true);
    // The flagged hypothesis left the tournament.
    const flagged = run.hypotheses.find((h: any) => h.reviews.some((r: any) => r.summary === 'FLAGGED.'));
    const flaggedAt = flagged.reviews.find((r: any) => r.summary === 'FLAGGED.').cycle;
    expect(run.matches.some((m: any) => m.cycle >= flaggedAt && (m.a === flagged.id || m.b === flagged.id))).toBe(false);
    expect(run.leaderboard).not.toContain(flagged.id);
  });
});
