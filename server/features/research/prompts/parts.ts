/** Shared pieces of the research prompts, each cut to its byte budget so a call never outgrows its plan. */
import { cutUtf8 } from '../../../core/llm/structured.js';
import { BUDGET } from '../call-plan.js';
import type { ChatMessage } from '../../../core/llm/llm-client.js';
import type { Hypothesis, Review } from '../run-types.js';

export function cut(text: string, bytes: number): string {
  return cutUtf8(text, bytes);
}

/** The goal as the scientist wrote it (validated to at most 5,000 characters on the way in). */
export function goalBlock(goal: string): string {
  return `Research goal:\n"""\n${goal}\n"""`;
}

export function hypothesisBlock(h: Pick<Hypothesis, 'title' | 'statement' | 'rationale' | 'test'>, label: string): string {
  const body = `Title: ${h.title}\nStatement: ${h.statement}\nRationale: ${h.rationale}\nHow to test: ${h.test}`;
  return `${label}\n${cut(body, BUDGET.hypothesis)}`;
}

export function reviewBlock(r: Review | undefined): string {
  if (!r) return 'No review yet.';
  const body = `Novelty ${r.novelty.score}/5, feasibility ${r.feasibility.score}/5, testability ${r.testability.score}/5. ${r.summary}`;
  return cut(body, BUDGET.review);
}

export function messages(system: string, user: string): ChatMessage[] {
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

export const JSON_ONLY = 'Answer with one JSON object only: no prose around it and no code fences.';
