import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { GoalRefused, runCycle, type CycleDeps } from '../../../../server/features/research/cycle-runner.js';
import { cycle, hypothesis, type Lab, makeRun, openLab, settings, systemOf, WORDS } from './harness.js';

let lab: Lab;
afterEach(() => lab.close());

function deps(): CycleDeps {
  return {
    store: lab.store,
    clock: lab.clock,
    publisher: lab.publisher,
    metered: lab.metered,
    jsonMode: () => true,
    timeoutMs: 10_000,
    parallelCalls: 2,
    logger: pino({ level: 'silent' }),
    literature: null,
  };
}

function job() {
  const progress: Array<[number, number, string | undefined]> = [];
  return { progress, ctx: { signal: new AbortController().signal, progress: (d: number, t: number, m?: string) => void progress.push([d, t, m]) } };
}

const small = settings({ hypotheses: 2, top_k: 1, matches_per_entrant: 1, debate: false });

describe('runCycle', () => {
  it('runs the screen and every step in order, recording each, and counts every call in the run’s usage', async () => {
    lab = await openLab();
    lab.put(makeRun({ settings: small }));
    const j = job();
    await runCycle('run_test', 0, lab.call, deps(), j.ctx);
    const run = lab.run();
    expect(run.cycles[0]!.steps_done).toEqual(['screen', 'generate', 'review', 'tournament', 'deep_review', 'evolve', 'proximity', 'meta_review']);
    expect(run.screening?.allowed).toBe(true);
    expect(run.hypotheses.filter((h) => h.origin === 'generated')).toHaveLength(2);
    expect(run.hypotheses.filter((h) => h.origin === 'evolved')).toHaveLength(1);
    expect(run.meta_reviews).toHaveLength(1);
    expect(run.overview).toBeNull(); // not the last cycle

    const calls = lab.asked().length;
    expect(run.usage.calls).toBe(calls);
    expect(run.cycles[0]!.calls).toBe(calls);
    expect(run.usage.usd).toBeGreaterThan(0); // the Space's key pays: what the ledger was charged
    expect(run.usage.usd).toBeCloseTo(lab.ledger.usage().spent_usd_today, 10);

    expect(j.progress[0]).toEqual([0, 8, 'screen']);
    expect(j.progress.at(-1)).toEqual([8, 8, 'done']);
    // Live messages go to the run's topic.
    expect(lab.published.every((p) => p.topic === 'research:run_test')).toBe(true);
    expect(lab.published.some((p) => p.message.type === 'event' && p.message.kind === 'hypothesis' && p.message.cycle === 0)).toBe(true);
    expect(lab.published.some((p) => p.message.type === 'progress' && p.message.step === 'tournament')).toBe(true);
  });

  it('writes the overview after the last cycle', async () => {
    lab = await openLab();
    lab.put(makeRun({ settings: small, cycles: [cycle(0, { last: true })] }));
    await runCycle('run_test', 0, lab.call, deps(), job().ctx);
    expect(lab.run().cycles[0]!.steps_done.at(-1)).toBe('overview');
    expect(lab.run().overview?.summary).toBe('Two lines of work lead.');
  });

  it('stops with GoalRefused when the screen refuses the goal, before anything else is spent', async () => {
    lab = await openLab({ screen: () => ({ kind: 'ok', content: JSON.stringify({ allowed: false, reason: 'Not research.' }) }) });
    lab.put(makeRun({ settings: small }));
    const err = await runCycle('run_test', 0, lab.call, deps(), job().ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GoalRefused);
    expect((err as Error).message).toBe('Not research.');
    expect(lab.asked()).toHaveLength(1);
    expect(lab.run().cycles[0]!.steps_done).toEqual([]);
    expect(lab.run().hypotheses).toEqual([]);
  });

  it('resumes after the last finished step, and does not screen a goal that passed', async () => {
    lab = await openLab();
    const hs = WORDS.slice(0, 2).map((w, i) => hypothesis(`h_${i}`, w));
    lab.put(
      makeRun({
        settings: small,
        screening: { allowed: true, reason: 'ok' },
        hypotheses: hs,
        cycles: [cycle(1, { index: 1, steps_done: ['generate', 'review', 'tournament', 'evolve'] })],
      }),
    );
    // The cycle at index 0 of the array is the run's cycle 0 here.
    await runCycle('run_test', 0, lab.call, deps(), job().ctx);
    const asked = lab.asked().map(systemOf);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/meta-review/);
    expect(lab.run().cycles[0]!.steps_done).toEqual(['generate', 'review', 'tournament', 'evolve', 'proximity', 'meta_review']);
  });

  it('runs a whole cycle with a model that thinks first, giving each call its thinking budget (finding 10)', async () => {
    lab = await openLab({}, { thinker: true });
    lab.put(makeRun({ settings: { ...small, reasoning: 'medium', debate: true, debate_pairs: 1, debate_turns: 3 } }));
    await runCycle('run_test', 0, lab.call, deps(), job().ctx);
    const run = lab.run();
    expect(run.cycles[0]!.steps_done).toEqual(['screen', 'generate', 'review', 'tournament', 'deep_review', 'evolve', 'proximity', 'meta_review']);
    // Thinking never became a debate turn or a verdict.
    const debate = run.matches.find((m) => m.debate)!.debate!;
    expect(debate.every((t) => !t.text.includes('<think>') && !t.text.includes('</think>'))).toBe(true);
    // Every call asked for its step's budget plus the thinking tokens (the screen's 400 and the plan's 700 included).
    const screen = lab.asked().find((r) => /screen research goals/.test(systemOf(r)))!;
    expect(screen.body.max_tokens).toBe(400 + 700 + 4096);
    expect(lab.asked().every((r) => r.body.max_tokens > 4096)).toBe(true);
  });

  it('never makes one call more than the cycle planned', async () => {
    lab = await openLab();
    lab.put(makeRun({ settings: small, cycles: [cycle(0, { plan: { calls: 2, calls_max: 2, max_usd: 1, lookups_max: 0 } })] }));
    const err = await runCycle('run_test', 0, lab.call, deps(), job().ctx).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 500, code: 'plan_exceeded' });
    expect(lab.asked()).toHaveLength(2);
    expect(lab.run().usage.calls).toBe(2);
  });

  it('on a visitor’s own key, counts what the provider reported', async () => {
    lab = await openLab();
    lab.put(makeRun({ settings: small, cycles: [cycle(0, { last: false })] }));
    const byok = { ...lab.call, mode: 'byok' as const };
    await runCycle('run_test', 0, byok, deps(), job().ctx);
    expect(lab.ledger.usage().spent_usd_today).toBe(0); // the Space paid nothing
    expect(lab.run().usage.calls).toBe(lab.asked().length);
    expect(lab.run().usage.usd).toBeGreaterThan(0);
  });
});
