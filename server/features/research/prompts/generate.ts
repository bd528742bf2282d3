/** Step 1: new hypotheses, steered by the last meta-review, the scientist's notes and pinned hypotheses. */
import { BUDGET } from '../call-plan.js';
import type { Hypothesis, MetaReview } from '../run-types.js';
import { type Brief, CITE_RULES, cut, goalBlock, hypothesisBlock, JSON_ONLY, messages } from './parts.js';

/** The fields every hypothesis answer has, for the generate and evolve prompts. */
export const HYPOTHESIS_SHAPE = `{"title": "short title", "statement": "the claim, one or two sentences, naming the specific entities and mechanism", "rationale": "why it could be true", "test": "an experiment or analysis that could refute it", "assumptions": ["what must hold"], "predictions": ["what should be observed if it is true"], "falsification": "the result that would refute it", "citations": [1], "evidence": [{"n": 1, "quote": "a sentence copied word for word from abstract 1"}]}`;

const SYSTEM = `You are a creative, rigorous scientist proposing research hypotheses for domain experts. Each hypothesis must be specific (name the entities and the mechanism), falsifiable and different from the others and from those listed as already explored. State its assumptions, what it predicts, and what result would refute it. Where literature excerpts are given, build on them and cite them; where none are, leave "citations" and "evidence" empty. ${JSON_ONLY}
Shape: {"hypotheses": [${HYPOTHESIS_SHAPE}]}`;

export interface GenerateInput {
  goal: Brief;
  count: number;
  metaReview: MetaReview | undefined;
  notes: string[];
  /** Pinned or leading hypotheses to build on without repeating (at most `count`). */
  known: Hypothesis[];
  /** Numbered literature excerpts (excerptsBlock), or '' when there are none. */
  excerpts: string;
  /** Titles of every other earlier hypothesis, most recent and best first (cut to a byte budget). */
  explored: string[];
  /** The scientist's reviews written for this cycle: `"title": review`, newest first. */
  scientistReviews: string[];
}

export function generatePrompt(input: GenerateInput) {
  const parts = [goalBlock(input.goal), `Propose exactly ${input.count} new hypotheses.`];
  if (input.excerpts) parts.push(input.excerpts, CITE_RULES);
  if (input.metaReview) {
    const m = input.metaReview;
    const text = `Strengths to keep: ${m.strengths.join('; ')}\nWeaknesses to fix: ${m.weaknesses.join('; ')}\nAdvice: ${m.advice}`;
    parts.push(`Meta-review of the previous cycle (act on it):\n${cut(text, BUDGET.meta_review)}`);
  }
  // Newest notes first, so a cut drops the oldest.
  if (input.notes.length > 0) parts.push(`The scientist's notes (follow them):\n${cut([...input.notes].reverse().join('\n'), BUDGET.notes)}`);
  if (input.scientistReviews.length > 0)
    parts.push(`The scientist's reviews of earlier hypotheses (learn from them):\n${cut(input.scientistReviews.join('\n'), BUDGET.scientist_reviews)}`);
  const known = input.known.slice(0, input.count);
  if (known.length > 0)
    parts.push(`Already explored (do not repeat; you may build on them):\n${known.map((h, i) => hypothesisBlock(h, `#${i + 1}`)).join('\n')}`);
  if (input.explored.length > 0) parts.push(`Also explored earlier (do not repeat):\n${cut(input.explored.map((t) => `- ${t}`).join('\n'), BUDGET.explored)}`);
  return messages(SYSTEM, parts.join('\n\n'));
}
