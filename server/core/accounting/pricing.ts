/**
 * The one pricing module: estimates shown to users, reservations before a call and the
 * settled cost after it all come from here. Unknown prices stay unknown (null), never zero.
 */

/** USD per token, as OpenRouter publishes it; null when the catalog has no price. */
export interface Price {
  input: number;
  output: number;
  /** A fee per call on top of tokens (some providers charge one). */
  request?: number;
}

/** Allowance per message for role and formatting tokens that the text bytes do not show. */
export const TOKENS_PER_MESSAGE = 8;

export function isFree(price: Price | null): boolean {
  return price !== null && price.input === 0 && price.output === 0 && !price.request;
}

/**
 * Parses OpenRouter's per-token price strings; anything not a finite non-negative number is unknown.
 * Reasoning tokens are billed as output, at their own price when it is higher; a per-call fee is kept.
 */
export function parsePrice(prompt: unknown, completion: unknown, extra: { request?: unknown; internal_reasoning?: unknown } = {}): Price | null {
  const input = Number(prompt);
  const output = Number(completion);
  if (prompt === undefined || completion === undefined || prompt === null || completion === null) return null;
  if (!Number.isFinite(input) || !Number.isFinite(output) || input < 0 || output < 0) return null;
  const optional = (v: unknown) => (v === undefined || v === null ? 0 : Number(v));
  const request = optional(extra.request);
  const reasoning = optional(extra.internal_reasoning);
  if (!Number.isFinite(request) || !Number.isFinite(reasoning) || request < 0 || reasoning < 0) return null;
  return { input, output: Math.max(output, reasoning), ...(request > 0 ? { request } : {}) };
}

export function perMillion(price: Price | null): { input: number; output: number } | null {
  return price === null ? null : { input: roundUsd(price.input * 1e6), output: roundUsd(price.output * 1e6) };
}

/** Cost of a finished call. */
export function costUsd(price: Price | null, tokensIn: number, tokensOut: number): number | null {
  return price === null ? null : roundUsd(price.input * tokensIn + price.output * tokensOut + (price.request ?? 0));
}

/**
 * An upper bound on the prompt's tokens: no tokenizer yields more tokens than UTF-8 bytes,
 * plus an allowance per message for the chat template.
 */
export function maxPromptTokens(messages: ReadonlyArray<{ content: unknown }>): number {
  let bytes = 0;
  for (const m of messages) bytes += Buffer.byteLength(typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''), 'utf8');
  return promptTokenBound(bytes, messages.length);
}

/** The same bound from a byte count alone: what plans use before the prompt exists. */
export function promptTokenBound(bytes: number, messageCount: number): number {
  return bytes + TOKENS_PER_MESSAGE * messageCount + TOKENS_PER_MESSAGE;
}

/** The most a call can cost: worst-case prompt plus every allowed completion token. */
export function maxCostUsd(price: Price | null, messages: ReadonlyArray<{ content: unknown }>, maxTokens: number): number | null {
  return costUsd(price, maxPromptTokens(messages), maxTokens);
}

/** Rounded to 1e-8 USD: finer than any per-token price, free of float noise in sums. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e8) / 1e8;
}

/** The dearest of several prices, per direction (a bound for a call that may fall back); null if any is unknown. */
export function maxPrice(prices: ReadonlyArray<Price | null>): Price | null {
  let input = 0;
  let output = 0;
  let request = 0;
  for (const p of prices) {
    if (p === null) return null;
    input = Math.max(input, p.input);
    output = Math.max(output, p.output);
    request = Math.max(request, p.request ?? 0);
  }
  return { input, output, ...(request > 0 ? { request } : {}) };
}
