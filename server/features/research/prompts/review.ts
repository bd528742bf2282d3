/** Step 2: a structured review of one hypothesis. */
import type { Hypothesis } from '../run-types.js';
import { goalBlock, hypothesisBlock, JSON_ONLY, messages } from './parts.js';

const SYSTEM = `You are a demanding peer reviewer. Score the hypothesis from 1 (poor) to 5 (excellent) on novelty, feasibility and testability, each with a one-sentence reason. Judge novelty against the prior work listed, when there is any: a hypothesis that restates a listed paper is not novel. Flag safety concerns (dual use, harm to people or animals, ethics) and say why. Suggest up to three references a reader could check: cite a listed paper as "[n]", or give a DOI, arXiv id or PMID with the title. Every reference is checked against bibliographic databases and shown as not found if it does not exist, so never invent one. ${JSON_ONLY}
Shape: {"novelty": {"score": 1-5, "reason": "..."}, "feasibility": {"score": 1-5, "reason": "..."}, "testability": {"score": 1-5, "reason": "..."}, "safety": {"flag": true or false, "note": "..."}, "references": [{"citation": "...", "relevance": "..."}], "summary": "two sentences: the main strength and the main weakness"}`;

/** `priorWork`: numbered excerpts of the closest records found (excerptsBlock), or ''. */
export function reviewPrompt(goal: string, h: Hypothesis, priorWork = '') {
  const parts = [goalBlock(goal), hypothesisBlock(h, 'Hypothesis to review:')];
  if (priorWork) parts.push(priorWork);
  return messages(SYSTEM, parts.join('\n\n'));
}
