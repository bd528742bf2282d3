/** The page applies live events to a run in place (web/research/use-run.js, web/batch/use-batch-run.js) instead of loading it again per event. */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ELO_START, eloUpdate } from '../../../shared/elo.js';

// The page's modules expect a browser; these functions are pure, so a stand-in window will do.
let applyRunEvent: typeof import('../../../web/research/use-run.js').applyRunEvent;
let applyBatchMessage: typeof import('../../../web/batch/use-batch-run.js').applyBatchMessage;
let RELOAD: typeof import('../../../web/lib/use-live-resource.js').RELOAD;
beforeAll(async () => {
  vi.stubGlobal('window', { addEventListener() {}, localStorage: undefined });
  ({ applyRunEvent } = await import('../../../web/research/use-run.js'));
  ({ applyBatchMessage } = await import('../../../web/batch/use-batch-run.js'));
  ({ RELOAD } = await import('../../../web/lib/use-live-resource.js'));
});

const hypothesis = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  cycle: 0,
  title: id,
  statement: '',
  rationale: '',
  test: '',
  origin: 'generated',
  strategy: null,
  parents: [],
  elo: ELO_START,
  wins: 0,
  losses: 0,
  reviews: [],
  pinned: false,
  dropped: false,
  duplicate_of: null,
  entered: true,
  ...over,
});

const run = (over: Record<string, unknown> = {}): any => ({
  id: 'run_1',
  state: 'running',
  owner: true,
  cycles: [{ index: 0 }],
  hypotheses: [hypothesis('h1'), hypothesis('h2')],
  matches: [],
  meta_reviews: [],
  overview: null,
  notes: [],
  usage: { calls: 1, usd: 0 },
  error: null,
  leaderboard: ['h1', 'h2'],
  ...over,
});

describe('research run events', () => {
  it('adds a hypothesis once, and a match moves both ratings as the server did and reorders the leaderboard', () => {
    const added = applyRunEvent(run(), { type: 'event', kind: 'hypothesis', hypothesis: hypothesis('h3') }) as any;
    expect(added.hypotheses.map((h: any) => h.id)).toEqual(['h1', 'h2', 'h3']);
    expect(applyRunEvent(added, { type: 'event', kind: 'hypothesis', hypothesis: hypothesis('h3') })).toEqual(added);

    const r = eloUpdate(ELO_START, ELO_START, 'b', 32);
    const match = {
      id: 'm1',
      cycle: 0,
      a: 'h1',
      b: 'h2',
      winner: 'h2',
      reason: '',
      elo_before: { a: ELO_START, b: ELO_START },
      elo_delta: r.delta,
      debate: null,
    };
    const played = applyRunEvent(added, { type: 'event', kind: 'match', match }) as any;
    expect(played.hypotheses.find((h: any) => h.id === 'h1')).toMatchObject({ elo: r.a, wins: 0, losses: 1 });
    expect(played.hypotheses.find((h: any) => h.id === 'h2')).toMatchObject({ elo: r.b, wins: 1, losses: 0 });
    expect(played.leaderboard).toEqual(['h2', 'h3', 'h1']);
    // The judge was shown h1 first (A) and chose h2: the position bias counts it.
    expect(played.position_bias).toEqual({ matches: 1, first_won: 0, rate: 0 });
    const again = applyRunEvent(played, { type: 'event', kind: 'match', match: { ...match, id: 'm2', winner: 'h1' } }) as any;
    expect(again.position_bias).toEqual({ matches: 2, first_won: 1, rate: 0.5 });
    // The same match again (a load answered after it): nothing changes.
    expect(applyRunEvent(played, { type: 'event', kind: 'match', match })).toBe(played);
  });

  it('puts a review and a near-copy flag in place, keeps the owner through a snapshot, and asks for a load only for what no event carries', () => {
    const review = { id: 'r1', cycle: 0, by: 'model', safety: { flag: false, note: '' } };
    const reviewed = applyRunEvent(run(), { type: 'event', kind: 'review', hypothesis_id: 'h2', review }) as any;
    expect(reviewed.hypotheses[1].reviews).toEqual([review]);
    expect(applyRunEvent(reviewed, { type: 'event', kind: 'review', hypothesis_id: 'h2', review })).toBe(reviewed);
    const flagged = applyRunEvent(reviewed, { type: 'event', kind: 'duplicate', hypothesis_id: 'h2', duplicate_of: 'h1' }) as any;
    expect(flagged.leaderboard).toEqual(['h1']);
    // A review that flags a hypothesis for safety holds it out of the leaderboard.
    const unsafe = { ...review, id: 'r2', safety: { flag: true, note: 'dual use' } };
    expect((applyRunEvent(run(), { type: 'event', kind: 'review', hypothesis_id: 'h1', review: unsafe }) as any).leaderboard).toEqual(['h2']);
    expect((applyRunEvent(run(), { type: 'snapshot', data: run({ owner: false, state: 'idle' }) }) as any).owner).toBe(true);
    expect(applyRunEvent(run(), { type: 'status', state: 'running', cycles: 1, usage: { calls: 5, usd: 0.1 }, error: null })).toMatchObject({
      usage: { calls: 5 },
    });
    expect(applyRunEvent(run(), { type: 'status', state: 'idle', cycles: 1 })).toBe(RELOAD);
    expect(applyRunEvent(run(), { type: 'event', kind: 'note', cycle: 1, text: 'x' })).toBe(RELOAD);
    // A search's event counts what it added; the records themselves come with the run.
    expect(applyRunEvent(run(), { type: 'event', kind: 'literature', queries: ['q'], added: 2, records: 2, notices: [] })).toBe(RELOAD);
  });

  it('puts a leader’s deep review on its card once, and the edited research plan in place', () => {
    const deep_review = {
      cycle: 1,
      assumptions: [{ assumption: 'A', verdict: 'invalidating', reason: 'R', evidence: [2] }],
      sink: 'S',
    };
    const verified = applyRunEvent(run(), { type: 'event', kind: 'deep_review', hypothesis_id: 'h2', deep_review }) as any;
    expect(verified.hypotheses[1].deep_review).toEqual(deep_review);
    expect(verified.hypotheses[0]).toEqual(run().hypotheses[0]);
    expect(verified.leaderboard).toEqual(['h1', 'h2']);
    expect(applyRunEvent(verified, { type: 'event', kind: 'deep_review', hypothesis_id: 'h2', deep_review })).toBe(verified);
    // One the run does not hold yet, or an event without its review: load the run.
    expect(applyRunEvent(run(), { type: 'event', kind: 'deep_review', hypothesis_id: 'h9', deep_review })).toBe(RELOAD);
    expect(applyRunEvent(run(), { type: 'event', kind: 'deep_review', hypothesis_id: 'h1' })).toBe(RELOAD);

    const plan = { objective: 'O', preferences: ['p'], constraints: [], attributes: ['a'], domain: 'd' };
    const planned = applyRunEvent(run({ plan: null }), { type: 'event', kind: 'plan', plan }) as any;
    expect(planned.plan).toEqual(plan);
    expect(planned.hypotheses).toEqual(run().hypotheses);
    expect(applyRunEvent(run(), { type: 'event', kind: 'plan' })).toBe(RELOAD);
  });
});

describe('batch run messages', () => {
  const batch = (): any => ({
    state: 'running',
    error: null,
    done: 0,
    failed: 0,
    endpoints: [{ index: 0 }],
    prompts: [
      { suite_id: 's', id: 'p1' },
      { suite_id: 's', id: 'p2' },
    ],
    results: [],
  });
  const result = (prompt: string, ok = true) => ({ slot: `0/s/${prompt}`, endpoint: 0, suite_id: 's', prompt_id: prompt, ok });

  it('puts each result in its place, a retried one replacing the old, and loads again when the run stops', () => {
    let b = applyBatchMessage(batch(), { type: 'event', kind: 'result', result: result('p2', false) }) as any;
    b = applyBatchMessage(b, { type: 'event', kind: 'result', result: result('p1') });
    expect(b.results.map((r: any) => r.prompt_id)).toEqual(['p1', 'p2']);
    expect([b.done, b.failed]).toEqual([2, 1]);
    b = applyBatchMessage(b, { type: 'event', kind: 'result', result: result('p2') });
    expect([b.done, b.failed]).toEqual([2, 0]);
    expect(applyBatchMessage(b, { type: 'status', state: 'running' })).toBe(b);
    expect(applyBatchMessage(b, { type: 'status', state: 'done' })).toBe(RELOAD);
    expect(applyBatchMessage(b, { type: 'snapshot', data: { done: 2, state: 'running' } })).toBe(b);
    expect(applyBatchMessage(b, { type: 'snapshot', data: { done: 3, state: 'running' } })).toBe(RELOAD);
  });
});
