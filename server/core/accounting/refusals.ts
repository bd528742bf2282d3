/** What the cost rules answer when the daily cap refuses a call: status, code, message, retry hints. */
import { AppError } from '../errors/app-error.js';
import { secondsToMidnight } from './utc-day.js';

/** Tells the official OpenAI clients not to retry by themselves (a wait of hours, or no point). */
export const NO_CLIENT_RETRY = { 'x-should-retry': 'false' } as const;

/** Calls in flight settle within their deadline; most finish far sooner (the cap's and the issued keys' "busy" wait). */
export const BUSY_RETRY_S = 30;

export type CapRefusalCode = 'daily_budget_exhausted' | 'budget_busy' | 'request_too_costly';

/** The cap's refusal of a call of `amount` USD at `now`; `wayOut` says how to go on (own key, duplicate). */
export function capRefusal(code: CapRefusalCode, amount: number, now: number, capUsd: number, wayOut: string): AppError {
  if (code === 'request_too_costly') {
    return new AppError(
      422,
      code,
      `This call could cost up to $${amount.toFixed(4)}, more than the whole daily cap ($${capUsd}). Ask for fewer tokens (max_tokens) or a shorter prompt.${wayOut}`,
      { headers: NO_CLIENT_RETRY },
    );
  }
  if (code === 'budget_busy') {
    return new AppError(
      429,
      code,
      `Calls in flight hold the rest of today's budget for the Space's key until they finish. Try again in ${BUSY_RETRY_S} s, or ask for fewer tokens.${wayOut}`,
      {
        headers: { 'Retry-After': String(BUSY_RETRY_S) },
      },
    );
  }
  const wait = secondsToMidnight(now);
  return new AppError(
    429,
    code,
    `Today's budget for the Space's key ($${capUsd}) is used up; it resets at midnight UTC (in ${Math.ceil(wait / 3600)} h). Free models still work.${wayOut}`,
    // Hours away: SDKs that honour Retry-After would hang; x-should-retry tells them not to wait.
    { headers: { 'Retry-After': String(wait), ...NO_CLIENT_RETRY } },
  );
}
