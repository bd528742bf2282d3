/** What the research API accepts: the request bodies, and the run settings a plan asks for (clamped to the deployment's limits). */
import { z } from 'zod';
import { researchSettingsSchema } from './call-plan.js';
import type { RunSettings } from './run-types.js';

/** Goals are plain text: HTML tags are refused rather than stored and shown. */
const goal = z
  .string()
  .trim()
  .min(10, 'write at least a sentence (10 characters)')
  .max(5000, 'keep it under 5,000 characters')
  .refine((g) => !/<\/?[a-z][^>]*>/i.test(g), 'goals are plain text; remove the HTML tags');

const temperature = z.number().min(0).max(1.5);
const advanced = researchSettingsSchema.omit({ hypotheses: true, cycles: true }).extend({
  elo_k: z.number().int().min(4).max(64).default(32),
  temperatures: z
    .strictObject({
      screen: temperature.default(0),
      generate: temperature.default(0.9),
      review: temperature.default(0.2),
      judge: temperature.default(0.1),
      evolve: temperature.default(0.8),
      meta: temperature.default(0.3),
    })
    .prefault({}),
});

export const planBody = z.strictObject({
  model: z.string().min(3).max(200),
  goal: goal.optional(),
  hypotheses: z.number().int().min(1).max(50).optional(),
  cycles: z.number().int().min(1).max(20).optional(),
  settings: advanced.partial().optional(),
});
export const startBody = planBody.extend({ goal });
export const moreBody = z.strictObject({ cycles: z.number().int().min(1).max(20).default(1) });
const short = (max: number) => z.string().trim().min(1).max(max);
export const hypothesisBody = z.strictObject({
  title: short(160),
  statement: short(1200),
  rationale: short(1200).default('Proposed by the scientist.'),
  test: short(1200).default('To be designed.'),
});
const score = z.strictObject({ score: z.number().int().min(1).max(5), reason: short(600) });
export const reviewBody = z.strictObject({
  hypothesis_id: short(40),
  novelty: score,
  feasibility: score,
  testability: score,
  plausibility: score.optional(),
  summary: short(800),
  safety: z.strictObject({ flag: z.boolean(), note: z.string().max(500).default('') }).default({ flag: false, note: '' }),
});
export const markBody = z.strictObject({
  pinned: z.boolean().optional(),
  dropped: z.boolean().optional(),
  /** Clears a review's safety flag (the scientist takes responsibility): the hypothesis competes again. */
  safety_cleared: z.boolean().optional(),
});
export const noteBody = z.strictObject({ text: short(2000) });
const planItems = z.array(short(300)).max(6).default([]);
/** The research plan as the scientist edits it (PUT …/plan): every prompt of the next cycles reads it. */
export const researchPlanBody = z.strictObject({
  objective: short(600),
  preferences: planItems,
  constraints: planItems,
  attributes: planItems,
  domain: z.string().trim().max(120).default(''),
});

/** The settings a plan asks for, its hypotheses per cycle clamped to `maxHypotheses` (config max_hypotheses_per_cycle). */
export function settingsOf(body: z.infer<typeof planBody>, maxHypotheses: number): { settings: RunSettings; asked: number } {
  const asked = body.hypotheses ?? 3;
  const { elo_k, temperatures, ...plan } = advanced.parse(body.settings ?? {});
  const settings = researchSettingsSchema.parse({ ...plan, hypotheses: Math.min(asked, maxHypotheses), cycles: body.cycles ?? 1 });
  return { asked, settings: { ...settings, elo_k, temperatures } };
}
