/** A hypothesis as it enters a run: unrated, unreviewed, waiting for its first tournament. */
import { ELO_START } from './elo.js';
import type { Hypothesis } from './run-types.js';
import type { HypothesisDraft } from './schemas.js';

export function newHypothesis(
  id: string,
  cycle: number,
  draft: HypothesisDraft,
  origin: Hypothesis['origin'],
  lineage: { strategy: string; parents: string[] } = { strategy: '', parents: [] },
): Hypothesis {
  return {
    id,
    cycle,
    ...draft,
    origin,
    strategy: lineage.strategy || null,
    parents: lineage.parents,
    elo: ELO_START,
    wins: 0,
    losses: 0,
    reviews: [],
    pinned: false,
    dropped: false,
    duplicate_of: null,
    entered: false,
  };
}
