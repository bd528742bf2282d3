/** After the last cycle: the research overview (ranked hypotheses, why they lead, experiments, open questions). */
import type { Hypothesis, MetaReview } from '../run-types.js';
import { BUDGET } from '../call-plan.js';
import { cut, goalBlock, hypothesisBlock, JSON_ONLY, messages } from './parts.js';

const SYSTEM = `You write the research overview at the end of an AI co-scientist run, for the scientist who set the goal. Rank the leading hypotheses (use their ids), say why each leads, propose the first experiments to run, and list the open questions. Be concrete and honest about uncertainty. ${JSON_ONLY}
Shape: {"summary": "a paragraph", "ranked": [{"id": "h1", "why": "..."}], "experiments": ["..."], "open_questions": ["..."]}`;

export function overviewPrompt(goal: string, leaders: Hypothesis[], meta: MetaReview | undefined) {
  const list = leaders
    .slice(0, 10)
    .map((h) => hypothesisBlock(h, `${h.id} (Elo ${Math.round(h.elo)}):`))
    .join('\n\n');
  const metaText = meta
    ? cut(`Strengths: ${meta.strengths.join('; ')}\nWeaknesses: ${meta.weaknesses.join('; ')}\nAdvice: ${meta.advice}`, BUDGET.meta_review)
    : 'None.';
  return messages(SYSTEM, `${goalBlock(goal)}\n\nLeading hypotheses, best first:\n${list}\n\nLast meta-review:\n${metaText}`);
}
