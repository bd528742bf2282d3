/** Step 3, for the top pairs: advocates argue in turns, then a judge decides from the whole exchange. */
import { BUDGET } from '../call-plan.js';
import type { DebateTurn, Hypothesis } from '../run-types.js';
import { withReviews } from './judge.js';
import { type Brief, cut, goalBlock, hypothesisBlock, JSON_ONLY, messages } from './parts.js';

const ADVOCATE = `You take part in a scientific debate between two research hypotheses, as the advocate of one of them. Make the strongest honest case for your side in at most 120 words: evidence, mechanism, testability. Answer the other side's last point directly. Concede what is true. Plain prose, no headings.`;

const JUDGE = `You judge a scientific debate between two research hypotheses. Weigh the arguments made and the reviews shown (a review by the scientist who set the goal counts most), not their length or order, and decide which hypothesis better serves the research goal. ${JSON_ONLY}
Shape: {"reason": "two or three sentences naming the deciding argument", "winner": "A" or "B"}`;

function transcript(turns: DebateTurn[]): string {
  if (turns.length === 0) return 'The debate has not started.';
  return turns.map((t) => `${t.speaker}: ${cut(t.text, BUDGET.debate_turn)}`).join('\n');
}

function setting(goal: Brief, a: Hypothesis, b: Hypothesis): string {
  return `${goalBlock(goal)}\n\n${hypothesisBlock(a, 'Hypothesis A:')}\n\n${hypothesisBlock(b, 'Hypothesis B:')}`;
}

export function advocatePrompt(goal: Brief, a: Hypothesis, b: Hypothesis, side: 'A' | 'B', turns: DebateTurn[]) {
  return messages(ADVOCATE, `${setting(goal, a, b)}\n\nDebate so far:\n${transcript(turns)}\n\nYou argue for hypothesis ${side}. Your turn.`);
}

export function verdictPrompt(goal: Brief, a: Hypothesis, b: Hypothesis, turns: DebateTurn[]) {
  return messages(JUDGE, `${goalBlock(goal)}\n\n${withReviews(a, 'A')}\n\n${withReviews(b, 'B')}\n\nThe debate:\n${transcript(turns)}`);
}
