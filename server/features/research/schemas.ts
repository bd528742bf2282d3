/** What the model must answer at each step, as zod schemas; anything else gets one repair, then the step fails. */
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const score = z.strictObject({ score: z.number().int().min(1).max(5), reason: text(600) });

export const screenAnswer = z.object({
  allowed: z.boolean(),
  reason: text(500),
});

export const hypothesisDraft = z.object({
  title: text(160),
  statement: text(1200),
  rationale: text(1200),
  test: text(1200),
});

/** Models sometimes return more or fewer than asked: the engine keeps at most N. */
export const generateAnswer = z.object({ hypotheses: z.array(hypothesisDraft).min(1).max(20) });

export const reviewAnswer = z.object({
  novelty: score,
  feasibility: score,
  testability: score,
  safety: z.object({ flag: z.boolean(), note: z.string().trim().max(500).default('') }),
  references: z
    .array(z.object({ citation: text(300), relevance: z.string().trim().max(300).default('') }))
    .max(5)
    .default([]),
  summary: text(800),
});

export const verdictAnswer = z.object({
  winner: z.enum(['A', 'B']),
  reason: text(800),
});

export const evolveAnswer = z.object({
  hypothesis: hypothesisDraft,
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
});

export type HypothesisDraft = z.infer<typeof hypothesisDraft>;
export type ReviewAnswer = z.infer<typeof reviewAnswer>;
export type MetaReviewAnswer = z.infer<typeof metaReviewAnswer>;
export type OverviewAnswer = z.infer<typeof overviewAnswer>;
