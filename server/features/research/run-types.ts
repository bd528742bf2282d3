/** The persisted shape of research runs (part of state.json). */
import type { JobState, RunError, RunState } from '../../core/jobs/job-types.js';
import type { LiteratureRecord, SourceName } from '../../core/literature/record.js';
import type { ReferenceStatus } from '../../core/literature/verify.js';
import type { ResearchSettings } from './call-plan.js';

/** A research run rests idle between cycles and is never done (more cycles may follow); a refused goal ends it. */
export type ResearchRunState = Exclude<RunState, 'done'>;

export type CycleStep =
  | 'screen'
  | 'screen_input'
  | 'literature'
  | 'generate'
  | 'review'
  | 'tournament'
  | 'deep_review'
  | 'evolve'
  | 'proximity'
  | 'meta_review'
  | 'overview';

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
  /** Added in issue 17: reviews written before, and the scientist's, may have none. */
  plausibility?: Score;
  safety: { flag: boolean; note: string };
  /** Suggested by the model, each checked against the literature before it is shown. */
  references: CheckedReference[];
  summary: string;
}

/**
 * A reference a model named, with what Labcoat found: `verified` (a real record whose title
 * matches, or one of the run's own records cited by number), `not_found` (its identifier leads
 * nowhere or to another work), `unverifiable` (nothing to check it by, or no source answered).
 */
export interface CheckedReference {
  citation: string;
  relevance: string;
  status: ReferenceStatus;
  /** How it was checked: a run record's number, an identifier, or a title search. */
  via: 'excerpt' | 'doi' | 'arxiv' | 'pmid' | 'title' | null;
  /** The record it was checked against, when one was found. */
  record: Pick<LiteratureRecord, 'id' | 'source' | 'title' | 'year' | 'url' | 'ids'> | null;
}

/** One assumption of a hypothesis, judged against what is known (and the excerpts, when there are any). */
export interface CheckedAssumption {
  assumption: string;
  verdict: 'supported' | 'uncertain' | 'invalidating';
  reason: string;
  /** Numbers of the run's records it rests on (only numbers the prompt gave). */
  evidence: number[];
}

export interface DeepReview {
  cycle: number;
  assumptions: CheckedAssumption[];
  /** What would sink the hypothesis, in one or two sentences. */
  sink: string;
}

/** A record a run found, numbered for prompts by its place in the run's literature (1-based). */
export interface RunRecord extends LiteratureRecord {
  n: number;
  /** The cycle whose search found it first. */
  cycle: number;
}

/** A sentence quoted from a cited abstract (kept only when the abstract contains it verbatim). */
export interface Evidence {
  n: number;
  quote: string;
}

export interface RunLiterature {
  /** Every record found, de-duplicated across sources and cycles; record n is records[n - 1]. */
  records: RunRecord[];
  queries: Array<{ cycle: number; query: string; found: number; added: number }>;
  /** What went wrong with a source (null: every source), per cycle ("arXiv unavailable this cycle"). */
  notices: Array<{ cycle: number; source: SourceName | null; message: string }>;
  /** The sources searched, for the methods note. */
  sources: SourceName[];
}

export interface Hypothesis {
  id: string;
  cycle: number;
  title: string;
  statement: string;
  rationale: string;
  test: string;
  /** What must hold for it to make sense. */
  assumptions: string[];
  /** What should be observed if it is true. */
  predictions: string[];
  /** The result that would refute it. */
  falsification: string;
  /** Numbers of the run's records it rests on (only numbers its prompt gave). */
  citations: number[];
  /** Quotes from cited abstracts, each found there verbatim. */
  evidence: Evidence[];
  /** Quotes dropped because the cited abstract does not contain them. */
  quotes_dropped: number;
  /** The run's records closest to it by text, most similar first. */
  prior_work: Array<{ n: number; similarity: number }>;
  /** Its closest record is nearly identical: it may already be published. */
  may_be_published: boolean;
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
  /** The deep verification of a leader: its assumptions, each judged, and what would sink it. */
  deep_review: DeepReview | null;
  /** The scientist cleared a review's safety flag: it competes again. */
  safety_cleared: boolean;
  /** Why the screen refused it (the scientist's own hypothesis); it never competes. */
  refused: string | null;
}

export interface DebateTurn {
  speaker: 'A' | 'B' | 'judge';
  text: string;
  /** Identifiers (DOI, arXiv id, PMID) the turn names, each checked. */
  references?: CheckedReference[];
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

/** What the goal asks for, as a plan every prompt reads; written with the screen, editable by the scientist. */
export interface ResearchPlan {
  objective: string;
  /** What the scientist favours (mechanisms over correlations, human data, …). */
  preferences: string[];
  /** What a hypothesis must respect (budget, ethics, available data, …). */
  constraints: string[];
  /** What a good hypothesis has (specific mechanism, a measurable outcome, …). */
  attributes: string[];
  domain: string;
}

export interface Overview {
  cycle: number;
  summary: string;
  ranked: Array<{ id: string; why: string }>;
  experiments: string[];
  open_questions: string[];
  references: CheckedReference[];
  /** Authors of records the leading hypotheses cite: never names a model wrote. */
  contacts: Array<{ name: string; n: number; hypotheses: string[] }>;
}

export interface CyclePlanView {
  calls: number;
  calls_max: number;
  max_usd: number | null;
  /** Literature requests at most (searches and reference checks; not model calls). */
  lookups_max: number;
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
  /** Literature requests made (a cached answer makes none). */
  lookups: number;
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
  /** The research plan (null until the screen wrote it, or for runs from before plans). */
  plan: ResearchPlan | null;
  cycles: Cycle[];
  hypotheses: Hypothesis[];
  matches: Match[];
  meta_reviews: MetaReview[];
  overview: Overview | null;
  /** What the literature searches found; null when literature is off. */
  literature: RunLiterature | null;
  /** The scientist's notes for the next cycle; `refused` when the screen declined them (no prompt reads them). */
  notes: Array<{ cycle: number; text: string; at: number; refused?: string }>;
  usage: { calls: number; usd: number };
  /** Cycles requested and not yet started. */
  pending_cycles: number;
  job_id: string | null;
}
