/** What the model must answer at each step, as zod schemas; anything else gets one repair, then the step fails. */
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const score = z.strictObject({ score: z.number().int().min(1).max(5), reason: text(600) });

const items = (n: number) => z.array(text(300)).max(n).default([]);

/** The research plan: what the model makes of the goal, and what the scientist may edit. */
export const researchPlan = z.object({
  objective: text(600),
  preferences: items(6),
  constraints: items(6),
  attributes: items(6),
  domain: z.string().trim().max(120).default(''),
});

export const screenAnswer = z.object({
  allowed: z.boolean(),
  reason: text(500),
});

/** The goal's screen also writes the research plan (one call for both); a declined goal needs none. */
export const goalScreenAnswer = screenAnswer.extend({ plan: researchPlan.optional() });

/**
 * Numbers of excerpts the prompt gave (`given`); any other number is refused, so the one repair
 * tells the model which numbers it may cite.
 */
const excerptNumber = (given: readonly number[]) =>
  z
    .number()
    .int()
    .refine((n) => given.includes(n), {
      message: given.length > 0 ? `cite only the excerpt numbers given: ${given.join(', ')}` : 'no excerpts were given: cite none',
    });

/** A hypothesis as a model writes it; citations and quotes may name only the excerpts its prompt gave. */
export const hypothesisDraft = (given: readonly number[] = []) =>
  z.object({
    title: text(160),
    statement: text(1200),
    rationale: text(1200),
    test: text(1200),
    assumptions: z.array(text(300)).max(6).default([]),
    predictions: z.array(text(300)).max(6).default([]),
    falsification: z.string().trim().max(600).default(''),
    citations: z.array(excerptNumber(given)).max(8).default([]),
    evidence: z
      .array(z.object({ n: excerptNumber(given), quote: text(600) }))
      .max(4)
      .default([]),
  });

/** Models sometimes return more or fewer than asked: the engine keeps at most N. */
export const generateAnswer = (given: readonly number[]) => z.object({ hypotheses: z.array(hypothesisDraft(given)).min(1).max(20) });

/** References a model names: free text, each checked against the literature before it is shown. */
const references = z
  .array(z.object({ citation: text(300), relevance: z.string().trim().max(300).default('') }))
  .max(5)
  .default([]);

export const reviewAnswer = z.object({
  novelty: score,
  feasibility: score,
  testability: score,
  plausibility: score,
  safety: z.object({ flag: z.boolean(), note: z.string().trim().max(500).default('') }),
  references,
  summary: text(800),
});

/** The reason comes first in the shape the prompts show: the judge reasons before it decides. */
export const verdictAnswer = z.object({
  reason: text(800),
  winner: z.enum(['A', 'B']),
});

export const evolveAnswer = (given: readonly number[]) =>
  z.object({
    hypothesis: hypothesisDraft(given),
    change: text(600),
  });

export const metaReviewAnswer = z.object({
  strengths: z.array(text(400)).max(8),
  weaknesses: z.array(text(400)).max(8),
  advice: text(1500),
});

export const overviewAnswer = z.object({
  summary: text(2000),
  ranked: z.array(z.object({ id: text(20), why: text(600) })).max(10),
  experiments: z.array(text(600)).max(8),
  open_questions: z.array(text(400)).max(8),
  references,
});

export const queriesAnswer = z.object({ queries: z.array(text(200)).min(1).max(10) });

export type HypothesisDraft = z.infer<ReturnType<typeof hypothesisDraft>>;
export type ModelReference = z.infer<typeof references>[number];
export type ReviewAnswer = z.infer<typeof reviewAnswer>;
export type MetaReviewAnswer = z.infer<typeof metaReviewAnswer>;
export type OverviewAnswer = z.infer<typeof overviewAnswer>;

/** The deep verification of one leader: its assumptions judged one by one, evidence only among the excerpts given. */
export const deepReviewAnswer = (given: readonly number[]) =>
  z.object({
    assumptions: z
      .array(
        z.object({
          assumption: text(400),
          reason: text(600),
          verdict: z.enum(['supported', 'uncertain', 'invalidating']),
          evidence: z.array(excerptNumber(given)).max(5).default([]),
        }),
      )
      .min(1)
      .max(8),
    sink: text(600),
  });
