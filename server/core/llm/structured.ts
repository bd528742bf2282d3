import type { z } from 'zod';
import type { CallResult, ChatRequest } from './llm-client.js';
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
 * and what was wrong with it. Fails with upstream_bad_response after that.
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
  throw new UpstreamError(
    502,
    'upstream_bad_response',
    `The model did not return the expected JSON, even after one correction (${secondTry.problem}). Try again, or pick a model that follows instructions more closely.`,
  );
}

type Validation<T> = { ok: true; data: T } | { ok: false; problem: string };

/** Parses the JSON in a reply (tolerating code fences and prose around it) and checks it against the schema. */
export function validate<S extends z.ZodType>(content: string, schema: S): Validation<z.infer<S>> {
  const text = extractJson(content);
  if (text === undefined) return { ok: false, problem: 'it contains no JSON object or array' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `it is not valid JSON (${(err as Error).message})` };
  }
  const result = schema.safeParse(parsed);
  if (result.success) return { ok: true, data: result.data };
  const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, problem: `it does not match the expected shape (${issues.join('; ')})` };
}

function extractJson(content: string): string | undefined {
  const fenced = content.match(/```(?:json)?\s*([\s\S]*?)```/i)?.[1];
  const text = (fenced ?? content).trim();
  const start = text.search(/[[{]/);
  if (start < 0) return undefined;
  const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
  return end > start ? text.slice(start, end + 1) : undefined;
}
