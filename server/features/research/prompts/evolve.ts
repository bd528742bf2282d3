/** Step 4: a better child of a leading hypothesis, by a named strategy. */
import type { Hypothesis } from '../run-types.js';
import { goalBlock, hypothesisBlock, JSON_ONLY, messages, reviewBlock } from './parts.js';

export const STRATEGIES = {
  combine: 'Combine the strongest elements of the two parents into one sharper hypothesis.',
  simplify: 'Simplify: keep the core claim, remove assumptions, make it cheaper and quicker to test.',
  ground: 'Ground it in evidence: tie every step of the mechanism to established findings and name the measurements.',
  out_of_the_box: 'Think out of the box: keep the goal but change the angle (another mechanism, population, scale or method).',
} as const;

export type Strategy = keyof typeof STRATEGIES;

const SYSTEM = `You improve research hypotheses. Apply the strategy you are given and address the reviewers' criticism. The result must be a new, specific, falsifiable hypothesis, not a copy. ${JSON_ONLY}
Shape: {"hypothesis": {"title": "...", "statement": "...", "rationale": "...", "test": "..."}, "change": "one sentence: what you changed and why"}`;

export function evolvePrompt(goal: string, strategy: Strategy, parent: Hypothesis, other: Hypothesis | undefined) {
  const parts = [
    goalBlock(goal),
    `Strategy: ${STRATEGIES[strategy]}`,
    hypothesisBlock(parent, 'Parent:'),
    `Reviews of the parent: ${reviewBlock(parent.reviews.at(-1))}`,
  ];
  if (other) parts.push(hypothesisBlock(other, 'Second parent:'), `Reviews of the second parent: ${reviewBlock(other.reviews.at(-1))}`);
  return messages(SYSTEM, parts.join('\n\n'));
}
