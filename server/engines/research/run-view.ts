/** What anyone with a run's link sees: everything but the session that owns it. */
import { proximityGraph, similarityMatrix } from './proximity.js';
import type { ResearchRun } from './run-types.js';
import { byRating, competing } from './steps/ranking.js';
import { textOf } from './steps/similarity.js';

export function runView(run: Readonly<ResearchRun>, viewerSession: string | undefined) {
  const { session_id, ...rest } = run;
  const active = competing(run.hypotheses);
  const matrix = similarityMatrix(run.hypotheses.map(textOf));
  return {
    ...rest,
    /** The viewer may change the run (others get it read-only). */
    owner: viewerSession === session_id,
    leaderboard: byRating(active).map((h) => h.id),
    proximity: proximityGraph(run.hypotheses.map((h) => h.id), matrix),
  };
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
