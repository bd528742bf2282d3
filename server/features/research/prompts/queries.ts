/** Step 1 of a cycle with literature on: search queries from the goal, the scientist's notes and the last meta-review. */
import { BUDGET } from '../call-plan.js';
import type { MetaReview } from '../run-types.js';
import { type Brief, cut, goalBlock, JSON_ONLY, messages } from './parts.js';

const SYSTEM = `You plan literature searches for a research project. Write short keyword queries (3 to 8 words each, no boolean operators, no quotes) that would find the papers a scientist must read before proposing hypotheses: the mechanisms involved, prior findings, and methods to test them. Each query looks at a different aspect. ${JSON_ONLY}
Shape: {"queries": ["...", "..."]}`;

export interface QueriesInput {
  goal: Brief;
  count: number;
  metaReview: MetaReview | undefined;
  notes: string[];
  /** Queries earlier cycles searched (search something new). */
  past: string[];
}

export function queriesPrompt(input: QueriesInput) {
  const parts = [goalBlock(input.goal), `Write exactly ${input.count} search queries.`];
  if (input.metaReview) {
    const m = input.metaReview;
    parts.push(
      `Meta-review of the previous cycle (search for what it says is missing):\n${cut(`Weaknesses: ${m.weaknesses.join('; ')}\nAdvice: ${m.advice}`, BUDGET.meta_review)}`,
    );
  }
  if (input.notes.length > 0) parts.push(`The scientist's notes:\n${cut([...input.notes].reverse().join('\n'), BUDGET.notes)}`);
  if (input.past.length > 0) parts.push(`Already searched (do not repeat):\n${cut([...input.past].reverse().join('\n'), BUDGET.past_queries)}`);
  return messages(SYSTEM, parts.join('\n\n'));
}
