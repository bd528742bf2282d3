import { describe, expect, it } from 'vitest';
import { positionBias, runSummary, runViews } from '../../../../server/features/research/run-view.js';
import { cycle, hypothesis, makeRun, SESSION, WORDS } from './harness.js';

const T0 = Date.parse('2026-01-15T12:00:00Z');

describe('runViews', () => {
  const run = makeRun({
    created_at: T0,
    updated_at: T0 + 1000,
    cycles: [cycle(0, { started_at: T0, finished_at: null })],
    notes: [{ cycle: 0, text: 'note', at: T0 + 5 }],
    hypotheses: [
      hypothesis('h_a', WORDS[0]!, { elo: 1180 }),
      hypothesis('h_b', WORDS[1]!, { elo: 1250 }),
      hypothesis('h_a2', WORDS[0]!, { elo: 1300, duplicate_of: 'h_a' }),
    ],
  });

  it('shows everything but the owning session, with times as ISO strings', () => {
    const view = runViews()(run, SESSION);
    expect(view).not.toHaveProperty('session_id');
    expect(view.created_at).toBe('2026-01-15T12:00:00.000Z');
    expect(view.updated_at).toBe('2026-01-15T12:00:01.000Z');
    expect(view.cycles[0]).toMatchObject({ started_at: '2026-01-15T12:00:00.000Z', finished_at: null, index: 0 });
    expect(view.notes).toEqual([{ cycle: 0, text: 'note', at: '2026-01-15T12:00:00.005Z' }]);
    expect(view.goal).toBe(run.goal);
    expect(view.hypotheses).toBe(run.hypotheses);
  });

  it('tells the owner apart from other viewers', () => {
    const view = runViews();
    expect(view(run, SESSION).owner).toBe(true);
    expect(view(run, 's_someone_else').owner).toBe(false);
    expect(view(run, undefined).owner).toBe(false);
  });

  it('ranks the leaderboard among competing hypotheses only', () => {
    expect(runViews()(run, SESSION).leaderboard).toEqual(['h_b', 'h_a']);
  });

  it('includes the proximity graph of every hypothesis', () => {
    const { proximity } = runViews()(run, SESSION);
    expect(proximity.nodes).toEqual(['h_a', 'h_b', 'h_a2']);
    const edge = proximity.edges.find((e) => e.a === 'h_a' && e.b === 'h_a2');
    expect(edge?.weight).toBeGreaterThan(0.75);
  });

  it('reuses the graph while the hypothesis count is the same, and redraws it when it grows', () => {
    const view = runViews();
    const first = view(run, SESSION).proximity;
    expect(view(structuredClone(run), SESSION).proximity).toBe(first);
    const grown = { ...run, hypotheses: [...run.hypotheses, hypothesis('h_c', WORDS[2]!)] };
    const second = view(grown, SESSION).proximity;
    expect(second).not.toBe(first);
    expect(second.nodes).toEqual(['h_a', 'h_b', 'h_a2', 'h_c']);
  });

  it('keeps graphs per builder (two builders share nothing)', () => {
    expect(runViews()(run, SESSION).proximity).not.toBe(runViews()(run, SESSION).proximity);
  });
});

describe('runSummary', () => {
  it('is one line per run with the best competing hypothesis', () => {
    const run = makeRun({
      created_at: T0,
      state: 'idle',
      cycles: [cycle(0), cycle(1)],
      usage: { calls: 7, usd: 0.01 },
      hypotheses: [hypothesis('h_a', WORDS[0]!, { elo: 1210 }), hypothesis('h_x', WORDS[1]!, { elo: 1500, dropped: true })],
    });
    expect(runSummary(run)).toEqual({
      id: 'run_test',
      goal: run.goal,
      model: 'test/cheap-model',
      state: 'idle',
      created_at: '2026-01-15T12:00:00.000Z',
      cycles: 2,
      hypotheses: 2,
      best: { id: 'h_a', title: 'microbiome drives sleep', elo: 1210 },
      usage: { calls: 7, usd: 0.01 },
    });
  });

  it('has no best before any hypothesis', () => {
    expect(runSummary(makeRun()).best).toBeNull();
  });
});

describe('positionBias', () => {
  it('counts how often the hypothesis shown first won', () => {
    const m = (winner: string) => ({ id: 'm', cycle: 0, a: 'x', b: 'y', winner, reason: '', elo_before: { a: 0, b: 0 }, elo_delta: 1, debate: null });
    expect(positionBias(makeRun({ matches: [m('x'), m('x'), m('y')] }))).toEqual({ matches: 3, first_won: 2, rate: 0.667 });
    expect(positionBias(makeRun())).toEqual({ matches: 0, first_won: 0, rate: null });
  });
});
