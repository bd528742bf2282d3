/** What anyone with a run's link sees: everything but the session that owns it. */
import { LRUCache } from 'lru-cache';
import { proximityGraph, similarityMatrix, type ProximityGraph } from './proximity.js';
import type { ResearchRun } from './run-types.js';
import { byRating, competing, leaderboard } from './steps/ranking.js';
import { textOf } from './steps/similarity.js';

/**
 * Builds run views; the proximity graph (quadratic in hypotheses) is computed once per run and
 * hypothesis count: hypotheses' texts never change after they are made.
 */
export function runViews() {
  const graphs = new LRUCache<string, ProximityGraph>({ max: 200 });
  return function runView(run: Readonly<ResearchRun>, viewerSession: string | undefined) {
    const { session_id, ...rest } = run;
    const key = `${run.id}:${run.hypotheses.length}`;
    let proximity = graphs.get(key);
    if (!proximity)
      graphs.set(
        key,
        (proximity = proximityGraph(
          run.hypotheses.map((h) => h.id),
          similarityMatrix(run.hypotheses.map(textOf)),
        )),
      );
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      ...rest,
      created_at: new Date(run.created_at).toISOString(),
      updated_at: iso(run.updated_at),
      cycles: run.cycles.map((c) => ({ ...c, started_at: iso(c.started_at), finished_at: iso(c.finished_at) })),
      notes: run.notes.map((n) => ({ ...n, at: new Date(n.at).toISOString() })),
      /** The viewer may change the run (others get it read-only). */
      owner: viewerSession === session_id,
      leaderboard: leaderboard(run.hypotheses),
      proximity,
      /** How often the judge chose the hypothesis it was shown first (0.5 is no position bias). */
      position_bias: positionBias(run),
    };
  };
}

/** Matches judged, and how many went to the hypothesis shown first (A): the judge's position bias. */
export function positionBias(run: Readonly<ResearchRun>): { matches: number; first_won: number; rate: number | null } {
  const matches = run.matches.length;
  const first_won = run.matches.filter((m) => m.winner === m.a).length;
  return { matches, first_won, rate: matches === 0 ? null : Math.round((first_won / matches) * 1000) / 1000 };
}

/** One line per run for the session's history. */
export function runSummary(run: Readonly<ResearchRun>) {
  const best = byRating(competing(run.hypotheses))[0];
  return {
    id: run.id,
    goal: run.goal,
    model: run.model,
    state: run.state,
    created_at: new Date(run.created_at).toISOString(),
    cycles: run.cycles.length,
    hypotheses: run.hypotheses.length,
    best: best ? { id: best.id, title: best.title, elo: best.elo } : null,
    usage: run.usage,
  };
}

// The page reads these views through shared/research-types.js (JSDoc types): a change here that
// the page's types do not allow fails the type check, so the two cannot drift apart.
export const pageReads: {
  run: (v: ReturnType<ReturnType<typeof runViews>>) => import('../../../shared/research-types.js').Run;
  summary: (v: ReturnType<typeof runSummary>) => import('../../../shared/research-types.js').RunSummary;
} = { run: (v) => v, summary: (v) => v };
