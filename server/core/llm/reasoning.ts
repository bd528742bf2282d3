/**
 * Reasoning models: when a call may carry OpenRouter's `reasoning` parameter, how thinking shows in
 * an answer (fields beside the content, or an inline <think> block), and the one error for a model
 * that spent its whole output on thinking. Thinking is billed as output and is never the answer.
 */
import type { ChatRequest, ReasoningSetting } from './chat-types.js';
import { UpstreamError } from './upstream-error.js';
import type { Target, WireReasoning } from './wire.js';

/**
 * The request as it goes to this target: `reasoning` stays only when the caller set it, the target
 * is not a visitor's own endpoint, and the catalog lists the model as accepting it. OpenAI-compatible
 * servers differ on fields they do not know (OpenAI answers 400 to an unrecognized argument; others
 * ignore it or fail later), so sending it unchecked could turn a working call into a failure, and a
 * model that does not reason gains nothing from it. The catalog only describes the owner's upstream,
 * and a visitor's endpoint is not in it.
 */
export function requestFor(request: ChatRequest, target: Target, catalogSaysSupported: boolean): ChatRequest {
  if (request.reasoning === undefined) return request;
  if (!target.pin && catalogSaysSupported) return request;
  const { reasoning: _dropped, ...rest } = request;
  return rest;
}

/**
 * A reasoning budget leaves room for the answer: max_tokens bounds thinking and answer together
 * (what the cost rules reserve), so a budget at or above it could leave no answer at all.
 */
export function checkReasoning(request: ChatRequest): void {
  const r: ReasoningSetting | undefined = request.reasoning;
  if (!r || !('max_tokens' in r)) return;
  const budget = r.max_tokens;
  if (!Number.isInteger(budget) || budget < 1 || (request.max_tokens !== undefined && budget >= request.max_tokens)) {
    throw new UpstreamError(
      400,
      'upstream_bad_request',
      `reasoning.max_tokens (${budget}) must be a whole number of at least 1 and below max_tokens (${request.max_tokens ?? 'unset'}), or the model has nothing left to answer with.`,
    );
  }
}

/** Whether a message or delta carries thinking, and how many characters of it (for estimated usage). */
export function thinkingIn(part: WireReasoning | undefined): { present: boolean; chars: number } {
  if (!part) return { present: false, chars: 0 };
  // OpenRouter sends the same thinking as text and as details; count one of them.
  for (const text of [part.reasoning, part.reasoning_content]) if (typeof text === 'string' && text !== '') return { present: true, chars: text.length };
  if (!Array.isArray(part.reasoning_details) || part.reasoning_details.length === 0) return { present: false, chars: 0 };
  let chars = 0;
  for (const d of part.reasoning_details as Array<Record<string, unknown> | null>) {
    for (const k of ['text', 'summary', 'data'] as const) if (typeof d?.[k] === 'string') chars += (d[k] as string).length;
  }
  return { present: true, chars };
}

/** A billed call with no answer: the model spent its output on thinking (usually finish_reason "length"). */
export function thinkingOnlyError(): UpstreamError {
  return new UpstreamError(
    502,
    'upstream_bad_response',
    'The model used its whole output budget thinking and gave no answer. Raise max tokens or lower the reasoning effort.',
    { billing: 'unknown' },
  );
}

const OPEN = /^\s*<(think|thinking|reasoning)>/i;

/**
 * The answer in a reply that may open with inline thinking (DeepSeek-R1 style `<think>…</think>`,
 * or only the closing tag when the chat template opened it). `unfinished` when the thinking never
 * closed: the reply was cut (max_tokens) before any answer.
 */
export function splitThinking(content: string): { answer: string; unfinished: boolean } {
  const open = content.match(OPEN);
  if (open) {
    const rest = content.slice(open[0].length);
    const close = rest.match(new RegExp(`</${open[1]}>`, 'i'));
    if (close?.index === undefined) return { answer: '', unfinished: true };
    return { answer: rest.slice(close.index + close[0].length), unfinished: false };
  }
  const end = content.search(/<\/think>/i);
  if (end >= 0 && !/<think>/i.test(content.slice(0, end))) return { answer: content.slice(end + '</think>'.length), unfinished: false };
  return { answer: content, unfinished: false };
}
