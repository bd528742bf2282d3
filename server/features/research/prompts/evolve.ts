/** Step 4: a better child of a leading hypothesis, by a named strategy. */
import type { Hypothesis } from '../run-types.js';
import { HYPOTHESIS_SHAPE } from './generate.js';
import { type Brief, CITE_RULES, goalBlock, hypothesisBlock, JSON_ONLY, messages, reviewsOf } from './parts.js';

export const STRATEGIES = {
  combine: 'Combine the strongest elements of the two parents into one sharper hypothesis.',
  simplify: 'Simplify: keep the core claim, remove assumptions, make it cheaper and quicker to test.',
  ground: 'Ground it in evidence: tie every step of the mechanism to the findings in the excerpts (cite them) and name the measurements.',
  out_of_the_box: 'Think out of the box: keep the goal but change the angle (another mechanism, population, scale or method).',
  feasibility: 'Make it feasible: keep the idea but change what it needs (data, methods, cost, time) so a typical lab could test it within a year.',
  inspiration: 'Take inspiration from the other top ideas shown: borrow what makes them strong to write a new hypothesis that none of them states.',
} as const;

export type Strategy = keyof typeof STRATEGIES;

const SYSTEM = `You improve research hypotheses. Apply the strategy you are given and address the reviewers' criticism. The result must be a new, specific, falsifiable hypothesis, not a copy, with its assumptions, predictions and the result that would refute it. Where literature excerpts are given, cite them; where none are, leave "citations" and "evidence" empty. ${JSON_ONLY}
Shape: {"hypothesis": ${HYPOTHESIS_SHAPE}, "change": "one sentence: what you changed and why"}`;

/** The strategies that read literature excerpts. */
export const READS_EXCERPTS: readonly Strategy[] = ['ground', 'combine', 'inspiration'];

/** How many other hypotheses a strategy shows beside the parent: combine one, inspiration up to three. */
export const OTHERS: Record<Strategy, number> = { combine: 1, simplify: 0, ground: 0, out_of_the_box: 0, feasibility: 0, inspiration: 3 };

export function evolvePrompt(goal: Brief, strategy: Strategy, parent: Hypothesis, others: Hypothesis[], excerpts = '') {
  const parts = [goalBlock(goal), `Strategy: ${STRATEGIES[strategy]}`, hypothesisBlock(parent, 'Parent:'), `Reviews of the parent:\n${reviewsOf(parent)}`];
  const [second, ...rest] = others.slice(0, OTHERS[strategy]);
  if (second && strategy === 'combine') parts.push(hypothesisBlock(second, 'Second parent:'), `Reviews of the second parent:\n${reviewsOf(second)}`);
  else if (second) parts.push([second, ...rest].map((h, i) => hypothesisBlock(h, `Other top idea ${i + 1}:`)).join('\n\n'));
  if (excerpts) parts.push(excerpts, CITE_RULES);
  return messages(SYSTEM, parts.join('\n\n'));
}
