/** Step 0: is the goal something a research assistant should help with? One short call before any other spend. */
import { BUDGET } from '../call-plan.js';
import type { Hypothesis } from '../run-types.js';
import { type Brief, cut, goalBlock, hypothesisBlock, JSON_ONLY, messages } from './parts.js';

const SYSTEM = `You screen research goals for an AI research assistant. Allow legitimate scientific, medical, technical and scholarly questions, including sensitive topics approached for understanding, safety or prevention. Refuse goals that seek meaningful help to cause serious harm: weapons capable of mass casualties, attacks on people or critical infrastructure, evading law enforcement for violent ends, or exploiting children. ${JSON_ONLY}
Shape: {"allowed": true or false, "reason": "one sentence for the scientist"}`;

/** The goal's screen; an allowed goal also gets its research plan in the same answer. */
export function screenPrompt(goal: Brief) {
  return messages(
    SYSTEM,
    `${goalBlock(goal)}\n\nMay the assistant work on this goal? If it may, also turn the goal into a research plan: the objective in one or two sentences, the scientist's preferences and constraints as the goal states or implies them, the attributes a good hypothesis for it must have, and the domain. Add it as "plan": {"objective": "...", "preferences": ["..."], "constraints": ["..."], "attributes": ["..."], "domain": "..."}.`,
  );
}

/** The scientist's notes and own hypotheses for a cycle, screened like the goal (one call for all). */
export function screenInputPrompt(goal: Brief, notes: string[], hypotheses: Array<Pick<Hypothesis, 'title' | 'statement' | 'rationale' | 'test'>>) {
  const parts = [goalBlock(goal), 'The scientist added this input to the research run for its next cycle.'];
  if (notes.length > 0) parts.push(`Notes:\n${cut(notes.join('\n'), BUDGET.notes)}`);
  parts.push(...hypotheses.map((h, i) => hypothesisBlock(h, `Their hypothesis ${i + 1}:`)));
  parts.push('May the assistant use this input? Judge the input by the same rules as a goal.');
  return messages(SYSTEM, parts.join('\n\n'));
}
