import type { z } from 'zod';
import type { CallResult, ChatRequest } from './llm-client.js';
import { splitThinking, thinkingOnlyError } from './reasoning.js';
import { UpstreamError } from './upstream-error.js';

export interface JsonResult<T, R extends CallResult = CallResult> {
  data: T;
  /** Every call made (one, or two after a repair), for usage and cost. */
  calls: R[];
}

/** What a repair adds to the original prompt, in UTF-8 bytes: plans price a repair with these. */
export const REPAIR_BUDGET = { answerBytes: 8000, correctionBytes: 1500, messages: 2 } as const;

/** The longest prefix of `text` within `bytes` UTF-8 bytes, never splitting a character. */
export function cutUtf8(text: string, bytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= bytes) return text;
  let end = bytes;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/**
 * Asks for JSON through `send` (the metered client, so each call is reserved and settled),
 * validates it with a zod schema, and repairs once: a second call shows the model its answer
 * and what was wrong with it. Fails with upstream_bad_response after that, or at once when the model
 * thought until its budget ran out (a repair with the same budget would run out the same way).
 * `jsonMode` sends response_format where the model supports it (the catalog knows).
 */
export async function chatJson<S extends z.ZodType, R extends CallResult = CallResult>(
  send: (request: ChatRequest) => Promise<R>,
  request: ChatRequest,
  schema: S,
  opts: { jsonMode: boolean },
): Promise<JsonResult<z.infer<S>, R>> {
  const ask: ChatRequest = opts.jsonMode ? { ...request, response_format: { type: 'json_object' } } : request;
  const first = await send(ask);
  const firstTry = validate(first.content, schema);
  if (firstTry.ok) return { data: firstTry.data, calls: [first] };
  if (firstTry.thinkingOnly) throw thinkingOnlyError();

  const repair: ChatRequest = {
    ...ask,
    messages: [
      ...ask.messages,
      { role: 'assistant', content: cutUtf8(first.content, REPAIR_BUDGET.answerBytes) },
      {
        role: 'user',
        content: cutUtf8(
          `That reply could not be used: ${firstTry.problem}. Answer again with only the corrected JSON, no prose and no code fences.`,
          REPAIR_BUDGET.correctionBytes,
        ),
      },
    ],
  };
  const second = await send(repair);
  const secondTry = validate(second.content, schema);
  if (secondTry.ok) return { data: secondTry.data, calls: [first, second] };
  if (secondTry.thinkingOnly) throw thinkingOnlyError();
  throw new UpstreamError(
    502,
    'upstream_bad_response',
    `The model did not return the expected JSON, even after one correction (${secondTry.problem}). Try again, or pick a model that follows instructions more closely.`,
  );
}

type Validation<T> = { ok: true; data: T } | { ok: false; problem: string; thinkingOnly?: true };

/** Candidates tried from the left before giving up on prose full of brackets (each try reads to the end at most). */
const MAX_FAILED_STARTS = 64;

/**
 * Parses the JSON in a reply and checks it against the schema. Tolerated around it: a leading
 * <think>…</think> block (never read as the answer), prose before and after, code fences, and other
 * bracketed text; the last JSON value that matches the schema wins. A <think> block that never
 * closed means the model was cut off while thinking: no answer, and `thinkingOnly` says so.
 */
export function validate<S extends z.ZodType>(content: string, schema: S): Validation<z.infer<S>> {
  const { answer, unfinished } = splitThinking(content);
  if (unfinished)
    return {
      ok: false,
      problem: 'the model used its whole output budget thinking and gave no answer (its <think> block never closed)',
      thinkingOnly: true,
    };
  const values = jsonValues(answer);
  let best: { size: number; issues: string[] } | undefined;
  // The last one that fits: an answer comes after its preamble, which may quote an example.
  for (const { value, size } of values.toReversed()) {
    const result = schema.safeParse(value);
    if (result.success) return { ok: true, data: result.data };
    if (!best || size > best.size) best = { size, issues: result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) };
  }
  const text = (answer.match(/```(?:json)?\s*([\s\S]*?)```/i)?.[1] ?? answer).trim();
  const start = text.search(/[[{]/);
  if (start < 0) return { ok: false, problem: 'it contains no JSON object or array' };
  // The first bracket never closing is an answer cut short; the pieces inside it are not the answer.
  if (closingBracket(text, start) < 0) return { ok: false, problem: 'it is not valid JSON (it ends before its brackets close: it was cut short)' };
  if (best) return { ok: false, problem: `it does not match the expected shape (${best.issues.join('; ')})` };
  // Nothing parsed: say why the widest bracketed span is not JSON (a trailing comma, single quotes, …).
  const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
  try {
    JSON.parse(text.slice(start, end + 1));
  } catch (err) {
    return { ok: false, problem: `it is not valid JSON (${(err as Error).message})` };
  }
  return { ok: false, problem: 'it contains no JSON object or array' };
}

/** Every JSON object or array in the text (fenced or not), left to right; a parsed value's inside is not searched again. */
function jsonValues(text: string): Array<{ value: unknown; size: number }> {
  const found: Array<{ value: unknown; size: number }> = [];
  const add = (slice: string): boolean => {
    try {
      const value: unknown = JSON.parse(slice);
      if (value === null || typeof value !== 'object') return false;
      found.push({ value, size: slice.length });
      return true;
    } catch {
      return false;
    }
  };
  let failed = 0;
  for (let i = text.search(/[[{]/); i >= 0 && failed < MAX_FAILED_STARTS; ) {
    const end = closingBracket(text, i);
    const parsed = end > i && add(text.slice(i, end + 1));
    if (!parsed) failed++;
    const next = text.slice(parsed ? end + 1 : i + 1).search(/[[{]/);
    i = next < 0 ? -1 : next + (parsed ? end + 1 : i + 1);
  }
  return found;
}

/** Where the bracket opened at `start` closes, skipping brackets inside JSON strings; -1 when it never does. */
function closingBracket(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
