/** Step 0: is the goal something a research assistant should help with? One short call before any other spend. */
import { goalBlock, JSON_ONLY, messages } from './parts.js';

const SYSTEM = `You screen research goals for an AI research assistant. Allow legitimate scientific, medical, technical and scholarly questions, including sensitive topics approached for understanding, safety or prevention. Refuse goals that seek meaningful help to cause serious harm: weapons capable of mass casualties, attacks on people or critical infrastructure, evading law enforcement for violent ends, or exploiting children. ${JSON_ONLY}
Shape: {"allowed": true or false, "reason": "one sentence for the scientist"}`;

export function screenPrompt(goal: string) {
  return messages(SYSTEM, `${goalBlock(goal)}\n\nMay the assistant work on this goal?`);
}
