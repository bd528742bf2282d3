/**
 * The exact model calls of a research run, known before it runs. The engine builds every prompt
 * within the byte budgets below (inputs are cut to fit), so a plan's worst case is a true bound:
 * the run never makes more calls, or spends more, than the plan it showed.
 */
import { z } from 'zod';
import { REPAIR_BUDGET } from '../../core/llm/structured.js';
import { plannedMatches } from './pairing.js';

export type StepName = 'screen' | 'queries' | 'generate' | 'review' | 'match' | 'debate' | 'deep_review' | 'evolve' | 'meta_review' | 'overview';

/** Byte budgets of what goes into prompts. */
export const BUDGET = {
  /** Instructions of one step (its prompt file). */
  template: 3000,
  /** A goal is at most 5,000 characters, of at most 4 bytes each; plans use its real size when known. */
  goal: 20_000,
  /** The research plan every prompt reads after the goal. */
  plan: 2500,
  notes: 2000,
  hypothesis: 1500,
  review: 1000,
  meta_review: 3000,
  debate_turn: 1200,
  /** Everything a meta-review reads (reviews and debates, cut to fit). */
  meta_input: 12_000,
  /** One literature excerpt (title, authors, identifier, abstract). */
  excerpt: 1800,
  /** The numbered excerpts a generation or an evolve call reads. */
  excerpts: 9000,
  /** The closest prior work (and cited records) a review reads. */
  prior_work: 5400,
  /** The queries already searched, listed so a cycle searches something new. */
  past_queries: 1500,
  /** A leader's latest match reasons, for the overview. */
  match_reasons: 1500,
  /** The scientist's reviews a generation reads. */
  scientist_reviews: 3000,
  /** Titles of every earlier hypothesis, so a later cycle does not propose them again. */
  explored: 4000,
  /** Titles of the records the leading hypotheses cite, for the overview. */
  cited: 2500,
} as const;

/** Output budget (max_tokens) per step. */
export const MAX_TOKENS: Record<StepName, number> & { generate_per_hypothesis: number; plan: number } = {
  screen: 400,
  /** The goal's screen also writes the research plan. */
  plan: 700,
  queries: 300,
  generate: 200,
  generate_per_hypothesis: 900,
  review: 700,
  match: 600,
  debate: 400,
  deep_review: 1200,
  evolve: 1100,
  meta_review: 1200,
  overview: 2000,
};

export const researchSettingsSchema = z.strictObject({
  hypotheses: z.number().int().min(1).max(10).default(3),
  cycles: z.number().int().min(1).max(20).default(1),
  top_k: z.number().int().min(0).max(5).default(2),
  matches_per_entrant: z.number().int().min(1).max(6).default(2),
  debate: z.boolean().default(true),
  debate_pairs: z.number().int().min(0).max(3).default(1),
  debate_turns: z.number().int().min(2).max(6).default(3),
  /** Thinking tokens each call may spend before it answers (models that reason first); off adds none. */
  reasoning: z.enum(['off', 'low', 'medium', 'high']).default('off'),
});

export type ResearchSettings = z.infer<typeof researchSettingsSchema>;

/** Output tokens added to every call for thinking, by the run's reasoning setting (and asked of the model as its reasoning budget). */
export const REASONING_TOKENS: Record<ResearchSettings['reasoning'], number> = { off: 0, low: 1024, medium: 4096, high: 8192 };

/**
 * Advocate turns of a debate of `debateTurns` (its turns before the verdict, plus the verdict),
 * rounded up to an even number so both sides speak as often: 2 or 3 → 2, 4 or 5 → 4, 6 → 6.
 */
export const advocateTurns = (debateTurns: number) => 2 * Math.ceil((debateTurns - 1) / 2);

export interface PlannedCall {
  step: StepName;
  cycle: number;
  /** Upper bound on the prompt's UTF-8 bytes. */
  prompt_bytes: number;
  messages: number;
  max_tokens: number;
  /** Answers JSON, so it may need one repair call. */
  json: boolean;
}

export interface CyclePlan {
  cycle: number;
  entrants: number;
  pool: number;
  matches: number;
  debates: number;
  calls: PlannedCall[];
  /** Literature requests at most (searches and reference checks), beside the model calls. */
  lookups_max: number;
}

/** Literature in a run: queries per cycle and the lookup bound (config.yaml); null when it is off. */
export interface LiteraturePlan {
  queries: number;
  lookups: number;
}

const MESSAGES = 2; // system + user

/** Where a run stands before the first planned cycle, when it already has history. */
export interface PlanStart {
  /** Hypotheses that can still meet in tournaments. */
  pool: number;
  /** Hypotheses waiting to enter the next tournament (children of the last evolve, the scientist's own); part of `pool`. */
  waiting: number;
  /** The goal already passed the screen (a run refused or cancelled before it did is screened again). */
  screened: boolean;
  /** The scientist's input waiting for the first planned cycle (one screen call); undefined when there is none. */
  input?: { hypotheses: number };
}

/**
 * Calls of cycles [from, from + count) of a run; the screen call belongs to cycle 0, the overview to
 * the request's last cycle. Without `start`, a fresh run is assumed (nothing dropped: the worst case).
 */
export function planCycles(
  s: ResearchSettings,
  from: number,
  count: number,
  lastCycle: number,
  goalBytes: number = BUDGET.goal,
  start?: PlanStart,
  literature: LiteraturePlan | null = null,
): CyclePlan[] {
  // With literature on, prompts also carry excerpts, prior work and cited titles.
  const lit = literature ? { excerpts: BUDGET.excerpts, priorWork: BUDGET.prior_work, cited: BUDGET.cited } : { excerpts: 0, priorWork: 0, cited: 0 };
  const goal = Math.min(goalBytes, BUDGET.goal);
  // Every prompt: its instructions, the goal and the research plan.
  const t = BUDGET.template + goal + BUDGET.plan;
  const plans: CyclePlan[] = [];
  let pool = start ? start.pool - start.waiting : poolBefore(s, from);
  for (let c = from; c < from + count; c++) {
    const calls: PlannedCall[] = [];
    const thinking = REASONING_TOKENS[s.reasoning];
    const add = (step: StepName, n: number, prompt_bytes: number, max_tokens: number, json = true) => {
      for (let i = 0; i < n; i++) calls.push({ step, cycle: c, prompt_bytes, messages: MESSAGES, max_tokens: max_tokens + thinking, json });
    };
    const waiting = c === from && start ? start.waiting : c > 0 ? Math.min(s.top_k, pool) : 0;
    const entrants = s.hypotheses + waiting;
    pool += entrants;
    const matches = plannedMatches(pool, entrants, s.matches_per_entrant);
    const debates = s.debate ? Math.min(s.debate_pairs, matches) : 0;
    if (c === from && (start ? !start.screened : c === 0)) add('screen', 1, t, MAX_TOKENS.screen + MAX_TOKENS.plan);
    if (c === from && start?.input) add('screen', 1, t + BUDGET.notes + start.input.hypotheses * BUDGET.hypothesis, MAX_TOKENS.screen);
    if (literature) add('queries', 1, t + BUDGET.notes + BUDGET.meta_review + BUDGET.past_queries, MAX_TOKENS.queries);
    add(
      'generate',
      1,
      t + BUDGET.notes + BUDGET.scientist_reviews + BUDGET.meta_review + s.hypotheses * BUDGET.hypothesis + BUDGET.explored + lit.excerpts,
      MAX_TOKENS.generate + s.hypotheses * MAX_TOKENS.generate_per_hypothesis,
    );
    add('review', entrants, t + BUDGET.hypothesis + lit.priorWork, MAX_TOKENS.review);
    // A judge reads both hypotheses with their reviews (the latest model review and the scientist's).
    // Reviews: the latest model review, the scientist's and the deep verification, each cut to BUDGET.review.
    const judged = 2 * (BUDGET.hypothesis + 3 * BUDGET.review);
    add('match', matches - debates, t + judged, MAX_TOKENS.match);
    // A debate: advocates take turns in prose; the last turn is the judge's verdict (JSON).
    const debatePrompt = t + judged + (advocateTurns(s.debate_turns) + 1) * BUDGET.debate_turn;
    add('debate', debates * advocateTurns(s.debate_turns), debatePrompt, MAX_TOKENS.debate, false);
    add('debate', debates, debatePrompt, MAX_TOKENS.debate);
    // The top k that have no deep review yet get one (at most top_k: the plan assumes none has one).
    add('deep_review', Math.min(s.top_k, pool), t + BUDGET.hypothesis + 3 * BUDGET.review + lit.priorWork, MAX_TOKENS.deep_review);
    // The parent and its review, and up to three others (combine: one with its review; inspiration: three).
    add('evolve', Math.min(s.top_k, pool), t + 4 * BUDGET.hypothesis + 6 * BUDGET.review + lit.excerpts, MAX_TOKENS.evolve);
    add('meta_review', 1, t + BUDGET.meta_input, MAX_TOKENS.meta_review);
    // Ten leaders, each with its reviews and the judges' latest reasons.
    const leader = BUDGET.hypothesis + 3 * BUDGET.review + BUDGET.match_reasons;
    if (c === lastCycle) add('overview', 1, t + 10 * leader + BUDGET.meta_review + lit.cited, MAX_TOKENS.overview);
    plans.push({ cycle: c, entrants, pool, matches, debates, calls, lookups_max: literature?.lookups ?? 0 });
  }
  return plans;
}

/** Hypotheses in the pool before cycle `c` (nothing is dropped in a plan: the worst case). */
function poolBefore(s: ResearchSettings, c: number): number {
  let pool = 0;
  for (let i = 0; i < c; i++) pool += s.hypotheses + (i > 0 ? Math.min(s.top_k, pool) : 0);
  return pool;
}

/** The one repair a JSON call may need: its own prompt again, plus the broken answer and the correction (chatJson). */
export function repairCall(call: PlannedCall): PlannedCall {
  return {
    ...call,
    prompt_bytes: call.prompt_bytes + REPAIR_BUDGET.answerBytes + REPAIR_BUDGET.correctionBytes,
    messages: call.messages + REPAIR_BUDGET.messages,
    json: false,
  };
}
