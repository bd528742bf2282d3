/** Orders used by several steps: the leaderboard and who may still compete. */
import type { Hypothesis } from '../run-types.js';

/** Best first; ties keep the older hypothesis first. */
export function byRating(hs: readonly Hypothesis[]): Hypothesis[] {
  return [...hs].sort((a, b) => b.elo - a.elo);
}

/** Hypotheses that can still meet others: not dropped and not flagged as a near-copy. */
export function competing(hs: readonly Hypothesis[]): Hypothesis[] {
  return hs.filter((h) => !h.dropped && h.duplicate_of === null);
}
