import { costUsd, promptTokenBound, roundUsd, type Price } from './pricing.js';

/** A call as a plan knows it before the prompt exists. */
export interface CallShape {
  prompt_bytes: number;
  messages: number;
  max_tokens: number;
}

/** The most one planned call can cost: the same bound a reservation uses at run time. */
export function maxCallCost(call: CallShape, price: Price | null): number | null {
  return costUsd(price, promptTokenBound(call.prompt_bytes, call.messages), call.max_tokens);
}

/** Worst-case USD of a list of calls; null when the price is unknown. */
export function maxCostOf(calls: readonly CallShape[], price: Price | null): number | null {
  if (price === null) return null;
  let usd = 0;
  for (const c of calls) usd += maxCallCost(c, price)!;
  return roundUsd(usd);
}
