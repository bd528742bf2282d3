/** Step 1: new hypotheses, steered by the last meta-review, the scientist's notes and pinned hypotheses. */
import { BUDGET } from '../call-plan.js';
import type { Hypothesis, MetaReview } from '../run-types.js';
import { cut, goalBlock, hypothesisBlock, JSON_ONLY, messages } from './parts.js';

const SYSTEM = `You are a creative, rigorous scientist proposing research hypotheses. Each hypothesis must be specific, falsifiable and different from the others and from those listed as already explored. Ground them in known mechanisms; state clearly what would be measured. ${JSON_ONLY}
Shape: {"hypotheses": [{"title": "short title", "statement": "the claim, one or two sentences", "rationale": "why it could be true", "test": "an experiment or analysis that could refute it"}]}`;

export interface GenerateInput {
  goal: string;
  count: number;
  metaReview: MetaReview | undefined;
  notes: string[];
  /** Pinned or leading hypotheses to build on without repeating (at most `count`). */
  known: Hypothesis[];
}

export function generatePrompt(input: GenerateInput) {
  const parts = [goalBlock(input.goal), `Propose exactly ${input.count} new hypotheses.`];
  if (input.metaReview) {
    const m = input.metaReview;
    const text = `Strengths to keep: ${m.strengths.join('; ')}\nWeaknesses to fix: ${m.weaknesses.join('; ')}\nAdvice: ${m.advice}`;
    parts.push(`Meta-review of the previous cycle (act on it):\n${cut(text, BUDGET.meta_review)}`);
  }
  // Newest notes first, so a cut drops the oldest.
  if (input.notes.length > 0) parts.push(`The scientist's notes (follow them):\n${cut([...input.notes].reverse().join('\n'), BUDGET.notes)}`);
  const known = input.known.slice(0, input.count);
  if (known.length > 0)
    parts.push(`Already explored (do not repeat; you may build on them):\n${known.map((h, i) => hypothesisBlock(h, `#${i + 1}`)).join('\n')}`);
  return messages(SYSTEM, parts.join('\n\n'));
}
