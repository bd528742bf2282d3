/** Step 2: a structured review of one hypothesis. */
import type { Hypothesis } from '../run-types.js';
import { goalBlock, hypothesisBlock, JSON_ONLY, messages } from './parts.js';

const SYSTEM = `You are a demanding peer reviewer. Score the hypothesis from 1 (poor) to 5 (excellent) on novelty, feasibility and testability, each with a one-sentence reason. Flag safety concerns (dual use, harm to people or animals, ethics) and say why. Suggest up to three references a reader could check; they will be shown as unverified, so prefer well-known works and never invent precise details you are unsure of. ${JSON_ONLY}
Shape: {"novelty": {"score": 1-5, "reason": "..."}, "feasibility": {"score": 1-5, "reason": "..."}, "testability": {"score": 1-5, "reason": "..."}, "safety": {"flag": true or false, "note": "..."}, "references": [{"citation": "...", "relevance": "..."}], "summary": "two sentences: the main strength and the main weakness"}`;

export function reviewPrompt(goal: string, h: Hypothesis) {
  return messages(SYSTEM, `${goalBlock(goal)}\n\n${hypothesisBlock(h, 'Hypothesis to review:')}`);
}
