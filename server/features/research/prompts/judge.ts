/** Step 3: one tournament match, judged by the model. */
import type { Hypothesis } from '../run-types.js';
import { type Brief, goalBlock, hypothesisBlock, JSON_ONLY, messages, reviewsOf } from './parts.js';

const SYSTEM = `You judge a match between two research hypotheses. Decide which one better serves the research goal: more likely to be true and important, more novel, and more testable with realistic means. Weigh the reviews shown (a review by the scientist who set the goal counts most), but decide yourself. Do not favour length or the order of presentation. ${JSON_ONLY}
Shape: {"reason": "two or three sentences naming the deciding difference", "winner": "A" or "B"}`;

export function judgePrompt(goal: Brief, a: Hypothesis, b: Hypothesis) {
  return messages(SYSTEM, `${goalBlock(goal)}\n\n${withReviews(a, 'A')}\n\n${withReviews(b, 'B')}`);
}

/** A hypothesis as a judge sees it: its text, then its reviews (the paper's protocol). */
export function withReviews(h: Hypothesis, side: 'A' | 'B'): string {
  return `${hypothesisBlock(h, `Hypothesis ${side}:`)}\nReviews of ${side}:\n${reviewsOf(h)}`;
}
