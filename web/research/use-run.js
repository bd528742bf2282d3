// @ts-check
/**
 * One research run, kept current (lib/use-live-resource.js). It is loaded from
 * GET /api/research/runs/:id (`owner` is only in that answer); then its live topic's events are
 * applied in place: a new or changed hypothesis, a review, a match (the two ratings move as the
 * server moved them, shared/elo.js, the leaderboard reorders, shared/ranking.js, and the judge's
 * position bias counts it), a
 * meta-review, the overview, a near-copy flag, a leader's deep review, the edited research plan; a snapshot (after a reconnect) replaces it. What
 * no event carries (a cycle's steps, the proximity graph, a note's time) comes with one load when
 * a step or the run's state changes. The running step's done/total and the queue position come
 * straight from the live topics, since the run itself does not store them.
 */
import { useEffect, useState } from 'preact/hooks';
import { ratingAfter } from '../../shared/elo.js';
import { leaderboard } from '../../shared/ranking.js';
import { api } from '../lib/api.js';
import { RELOAD, useLiveResource, useQueueSpot } from '../lib/use-live-resource.js';
import { runPath } from './format.js';

/** @typedef {import('../../shared/research-types.js').Run} Run */
/** @typedef {import('../../shared/research-types.js').Hypothesis} Hypothesis */
/** @typedef {import('../lib/live.js').LiveMessage} LiveMessage */
/** @typedef {{ done: number, total: number, message: string | null }} StepProgress */
/** @typedef {{ position: number | null, eta_s: number | null }} QueueSpot */

/**
 * @param {Run} run
 * @param {(hs: Hypothesis[]) => Hypothesis[]} change
 * @returns {Run} the run with its hypotheses changed and the leaderboard in the new order
 */
function withHypotheses(run, change) {
  const hypotheses = change(run.hypotheses);
  return { ...run, hypotheses, leaderboard: leaderboard(hypotheses) };
}

/** @param {Run} run @param {Hypothesis} h @returns {Run} added, or put in its place */
function upsert(run, h) {
  return withHypotheses(run, (hs) => (hs.some((x) => x.id === h.id) ? hs.map((x) => (x.id === h.id ? h : x)) : [...hs, h]));
}

/**
 * The judge's position bias with one more match (as run-view.ts counts it: A is shown first).
 * @param {Run['position_bias'] | undefined} bias
 * @param {import('../../shared/research-types.js').Match} m
 * @returns {Run['position_bias']}
 */
function withMatch(bias, m) {
  const matches = (bias?.matches ?? 0) + 1;
  const first_won = (bias?.first_won ?? 0) + (m.winner === m.a ? 1 : 0);
  return { matches, first_won, rate: Math.round((first_won / matches) * 1000) / 1000 };
}

/**
 * The run with one live event applied; the same run when it holds it already (a load that
 * answered after the event), RELOAD for what no event carries.
 * @param {Run} run
 * @param {LiveMessage} msg
 * @returns {Run | typeof RELOAD}
 */
export function applyRunEvent(run, msg) {
  if (msg.type === 'snapshot') return msg.data ? { ...msg.data, owner: run.owner } : run;
  if (msg.type === 'status') {
    if (msg.state !== run.state || msg.cycles !== run.cycles.length) return RELOAD;
    return { ...run, usage: msg.usage ?? run.usage, error: msg.error ?? null };
  }
  if (msg.type !== 'event') return run;
  switch (msg.kind) {
    case 'hypothesis':
    case 'child':
    case 'hypothesis_changed':
      return msg.hypothesis ? upsert(run, msg.hypothesis) : RELOAD;
    case 'review': {
      const h = run.hypotheses.find((x) => x.id === msg.hypothesis_id);
      if (!h || !msg.review) return RELOAD;
      if (h.reviews.some((r) => r.id === msg.review.id)) return run;
      return upsert(run, { ...h, reviews: [...h.reviews, msg.review] });
    }
    case 'deep_review': {
      const h = run.hypotheses.find((x) => x.id === msg.hypothesis_id);
      if (!h || !msg.deep_review) return RELOAD;
      if (h.deep_review?.cycle === msg.deep_review.cycle) return run;
      return upsert(run, { ...h, deep_review: msg.deep_review });
    }
    case 'plan':
      return msg.plan ? { ...run, plan: msg.plan } : RELOAD;
    case 'duplicate':
      return withHypotheses(run, (hs) => hs.map((h) => (h.id === msg.hypothesis_id ? { ...h, duplicate_of: msg.duplicate_of } : h)));
    case 'match': {
      /** @type {import('../../shared/research-types.js').Match} */
      const m = msg.match;
      if (!m) return RELOAD;
      if (run.matches.some((x) => x.id === m.id)) return run;
      const rated = (/** @type {Hypothesis} */ h) => {
        const side = h.id === m.a ? 'a' : h.id === m.b ? 'b' : null;
        if (side === null) return h;
        const won = m.winner === h.id;
        return { ...h, elo: ratingAfter(m.elo_before[side], won, m.elo_delta), wins: h.wins + (won ? 1 : 0), losses: h.losses + (won ? 0 : 1) };
      };
      return { ...withHypotheses(run, (hs) => hs.map(rated)), matches: [...run.matches, m], position_bias: withMatch(run.position_bias, m) };
    }
    case 'meta_review':
      if (!msg.meta_review) return RELOAD;
      return run.meta_reviews.some((r) => r.cycle === msg.meta_review.cycle) ? run : { ...run, meta_reviews: [...run.meta_reviews, msg.meta_review] };
    case 'overview':
      return msg.overview ? { ...run, overview: msg.overview } : RELOAD;
    case 'literature':
      // The event counts the records a search added; the records themselves come with the run.
      return RELOAD;
    default:
      // A note (its time is only in the run), or a kind this page does not know yet.
      return RELOAD;
  }
}

/**
 * @param {import('../lib/live.js').LiveConnection} live
 * @param {string} id
 * @returns {{
 *   run: Run | null,
 *   error: import('../lib/api.js').ApiError | null,
 *   progress: Record<string, StepProgress>,
 *   spot: QueueSpot | null,
 *   reload: () => void,
 *   replace: (run: Run) => void,
 * }}
 */
export function useRun(live, id) {
  const [progress, setProgress] = useState(/** @type {Record<string, StepProgress>} */ ({}));
  /** The step and cycle count last heard of: a new step shows in the run (cycle.step), a new cycle starts its progress afresh. */
  const [seen] = useState(() => ({ id, step: '', cycles: /** @type {number | null} */ (null) }));
  if (seen.id !== id) Object.assign(seen, { id, step: '', cycles: null });

  const { data, error, reload, replace } = useLiveResource(live, id, {
    load: (signal) => api(runPath(id), { signal }),
    topic: () => `research:${id}`,
    apply: (run, msg) => {
      if (msg.type !== 'progress') return applyRunEvent(run, msg);
      const changed = msg.step !== seen.step;
      seen.step = msg.step;
      // Ticks within one step only move its bar; a new step shows in the run.
      return changed ? RELOAD : run;
    },
    onMessage: (msg) => {
      if (msg.type === 'progress' && typeof msg.step === 'string') {
        const { step, done, total } = msg;
        setProgress((p) => ({ ...p, [step]: { done, total, message: msg.message ?? p[step]?.message ?? null } }));
      } else if (msg.type === 'status' && typeof msg.cycles === 'number' && msg.cycles !== seen.cycles) {
        if (seen.cycles !== null) setProgress({});
        seen.cycles = msg.cycles;
      }
    },
  });
  useEffect(() => setProgress({}), [id]);

  // While the run waits in the queue, its job's topic says where and for how long.
  const spot = useQueueSpot(live, data?.state === 'queued' ? data.job_id : null);
  return { run: data, error, progress, spot, reload, replace };
}
