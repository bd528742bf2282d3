/** After the tournament, for the top k: the hypothesis decomposed into its assumptions, each judged. */
import type { Hypothesis } from '../run-types.js';
import { type Brief, CITE_RULES, goalBlock, hypothesisBlock, JSON_ONLY, messages, reviewsOf } from './parts.js';

const SYSTEM = `You verify a leading research hypothesis in depth. Decompose it into the assumptions it rests on (three to six, each one sentence, most fundamental first). For each, give your reason first, then a verdict: "supported" (established findings back it), "uncertain" (plausible but untested) or "invalidating" (known findings contradict it). Where literature excerpts are given, cite the ones that bear on an assumption by number in "evidence". Then say in one or two sentences what would sink the hypothesis. ${JSON_ONLY}
Shape: {"assumptions": [{"assumption": "...", "reason": "...", "verdict": "supported" or "uncertain" or "invalidating", "evidence": [1]}], "sink": "..."}`;

export function deepReviewPrompt(goal: Brief, h: Hypothesis, excerpts = '') {
  const parts = [goalBlock(goal), hypothesisBlock(h, 'Hypothesis to verify:'), `Its reviews:\n${reviewsOf(h)}`];
  if (excerpts) parts.push(excerpts, CITE_RULES);
  return messages(SYSTEM, parts.join('\n\n'));
}
