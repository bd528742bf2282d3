/** Step 2: a structured review of one hypothesis. */
import type { Hypothesis } from '../run-types.js';
import { type Brief, goalBlock, hypothesisBlock, JSON_ONLY, messages } from './parts.js';

const SYSTEM = `You are a demanding peer reviewer. Judge the hypothesis on four criteria, each with a one-sentence reason first and then a score from 1 to 5, using these anchors:
- novelty: 1 restates a known result or a listed paper; 3 a new combination of known ideas; 5 a mechanism or prediction no listed work states.
- feasibility: 1 needs methods or resources that do not exist; 3 a well-equipped lab within years; 5 existing data or a small study within months.
- testability: 1 no observation could refute it; 3 refutable only by a complex or indirect study; 5 one clear measurement decides it.
- plausibility: 1 contradicts established findings; 3 consistent but speculative; 5 follows from established mechanisms with one untested step.
Judge novelty against the prior work listed, when there is any. Flag safety concerns (dual use, harm to people or animals, ethics) and say why. Suggest up to three references a reader could check: cite a listed paper as "[n]", or give a DOI, arXiv id or PMID with the title. Every reference is checked against bibliographic databases and shown as not found if it does not exist, so never invent one. ${JSON_ONLY}
Shape: {"novelty": {"reason": "...", "score": 1-5}, "feasibility": {"reason": "...", "score": 1-5}, "testability": {"reason": "...", "score": 1-5}, "plausibility": {"reason": "...", "score": 1-5}, "safety": {"flag": true or false, "note": "..."}, "references": [{"citation": "...", "relevance": "..."}], "summary": "two sentences: the main strength and the main weakness"}`;

/** `priorWork`: numbered excerpts of the closest records found (excerptsBlock), or ''. */
export function reviewPrompt(goal: Brief, h: Hypothesis, priorWork = '') {
  const parts = [goalBlock(goal), hypothesisBlock(h, 'Hypothesis to review:')];
  if (priorWork) parts.push(priorWork);
  return messages(SYSTEM, parts.join('\n\n'));
}
