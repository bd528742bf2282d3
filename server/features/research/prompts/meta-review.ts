/** Step 6: what reviews and debates keep saying; it steers the next cycle's generation. */
import { BUDGET } from '../call-plan.js';
import { type Brief, cut, goalBlock, JSON_ONLY, messages } from './parts.js';

const SYSTEM = `You write the meta-review of one cycle of an AI co-scientist. Read the reviews and the tournament's reasons and find what recurs: strengths that winning hypotheses share, weaknesses that keep costing hypotheses their matches. Then advise the next round of hypothesis generation in concrete terms. ${JSON_ONLY}
Shape: {"strengths": ["..."], "weaknesses": ["..."], "advice": "a paragraph of concrete guidance"}`;

/** `evidence`: review summaries and match reasons, newest first; cut to the step's budget. */
export function metaReviewPrompt(goal: Brief, evidence: string[]) {
  return messages(SYSTEM, `${goalBlock(goal)}\n\nWhat the reviewers and judges said this cycle:\n${cut(evidence.join('\n'), BUDGET.meta_input)}`);
}
