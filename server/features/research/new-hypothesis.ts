/** A hypothesis as it enters a run: unrated, unreviewed, waiting for its first tournament. */
import { ELO_START } from './elo.js';
import type { Evidence, Hypothesis } from './run-types.js';
import type { HypothesisDraft } from './schemas.js';

/** What a hypothesis is made from: the scientist gives the first four fields; a model gives more. */
export type NewDraft = Pick<HypothesisDraft, 'title' | 'statement' | 'rationale' | 'test'> & Partial<Omit<HypothesisDraft, 'evidence'>>;

export function newHypothesis(
  id: string,
  cycle: number,
  draft: NewDraft,
  origin: Hypothesis['origin'],
  lineage: { strategy: string; parents: string[] } = { strategy: '', parents: [] },
  grounding: { evidence: Evidence[]; dropped: number } = { evidence: [], dropped: 0 },
): Hypothesis {
  return {
    id,
    cycle,
    title: draft.title,
    statement: draft.statement,
    rationale: draft.rationale,
    test: draft.test,
    assumptions: draft.assumptions ?? [],
    predictions: draft.predictions ?? [],
    falsification: draft.falsification ?? '',
    citations: [...new Set(draft.citations ?? [])],
    evidence: grounding.evidence,
    quotes_dropped: grounding.dropped,
    prior_work: [],
    may_be_published: false,
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
    deep_review: null,
    safety_cleared: false,
    refused: null,
  };
}
