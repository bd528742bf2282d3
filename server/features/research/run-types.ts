/** The persisted shape of research runs (part of state.json). */
import type { JobState, RunError, RunState } from '../../core/jobs/job-types.js';

/** A research run rests idle between cycles and is never done (more cycles may follow); a refused goal ends it. */
export type ResearchRunState = Exclude<RunState, 'done'>;
import type { ResearchSettings } from './call-plan.js';

export type CycleStep = 'screen' | 'generate' | 'review' | 'tournament' | 'evolve' | 'proximity' | 'meta_review' | 'overview';

export interface Temperatures {
  screen: number;
  generate: number;
  review: number;
  judge: number;
  evolve: number;
  meta: number;
}

export interface RunSettings extends ResearchSettings {
  elo_k: number;
  temperatures: Temperatures;
}

export interface Score {
  score: number;
  reason: string;
}

export interface Review {
  id: string;
  cycle: number;
  by: 'model' | 'scientist';
  novelty: Score;
  feasibility: Score;
  testability: Score;
  safety: { flag: boolean; note: string };
  /** Suggested by the model and never checked: the page marks them unverified. */
  references: Array<{ citation: string; relevance: string }>;
  summary: string;
}

export interface Hypothesis {
  id: string;
  cycle: number;
  title: string;
  statement: string;
  rationale: string;
  test: string;
  origin: 'generated' | 'evolved' | 'scientist';
  /** The evolve strategy that made it (combine, simplify, ground in evidence, out of the box). */
  strategy: string | null;
  parents: string[];
  elo: number;
  wins: number;
  losses: number;
  reviews: Review[];
  pinned: boolean;
  dropped: boolean;
  /** Set by the proximity step: a near-copy of this earlier hypothesis. */
  duplicate_of: string | null;
  /** Whether it has met others in a tournament yet (waiting ones enter the next). */
  entered: boolean;
}

export interface DebateTurn {
  speaker: 'A' | 'B' | 'judge';
  text: string;
}

export interface Match {
  id: string;
  cycle: number;
  a: string;
  b: string;
  winner: string;
  reason: string;
  elo_before: { a: number; b: number };
  elo_delta: number;
  debate: DebateTurn[] | null;
}

export interface MetaReview {
  cycle: number;
  strengths: string[];
  weaknesses: string[];
  advice: string;
}

export interface Overview {
  cycle: number;
  summary: string;
  ranked: Array<{ id: string; why: string }>;
  experiments: string[];
  open_questions: string[];
}

export interface CyclePlanView {
  calls: number;
  calls_max: number;
  max_usd: number | null;
}

export interface Cycle {
  index: number;
  /** A cycle is one job: it goes through a job's states. */
  state: JobState;
  /** Steps finished, in order: a resumed cycle continues after the last one. */
  steps_done: CycleStep[];
  step: CycleStep | null;
  plan: CyclePlanView;
  /** Whether this cycle ends the request (it writes the overview). */
  last: boolean;
  calls: number;
  usd: number;
  started_at: number | null;
  finished_at: number | null;
  error: RunError | null;
  /** The tournament's pairs and each verdict as it arrived, so a resumed cycle asks only what is missing. */
  tournament?: { pairs: Array<{ a: string; b: string; debate: boolean }>; verdicts: Array<Verdict | null> };
}

export interface Verdict {
  winner: 'A' | 'B';
  reason: string;
  debate: DebateTurn[] | null;
}

export interface ResearchRun {
  id: string;
  session_id: string;
  created_at: number;
  updated_at: number;
  goal: string;
  model: string;
  key_mode: 'server' | 'byok';
  settings: RunSettings;
  state: ResearchRunState;
  error: RunError | null;
  screening: { allowed: boolean; reason: string } | null;
  cycles: Cycle[];
  hypotheses: Hypothesis[];
  matches: Match[];
  meta_reviews: MetaReview[];
  overview: Overview | null;
  /** The scientist's notes for the next cycle. */
  notes: Array<{ cycle: number; text: string; at: number }>;
  usage: { calls: number; usd: number };
  /** Cycles requested and not yet started. */
  pending_cycles: number;
  job_id: string | null;
}
