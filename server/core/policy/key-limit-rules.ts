/**
 * An issued key's limits: requests per minute (a token bucket, so a key may burst up to its rpm
 * and then runs at rpm / 60 per second) and its daily and monthly USD, which hold reservations
 * exactly as the global cap does (the ledger decides them in its reservation step, from the key's
 * limits as data). Pure decisions and their refusals. Amounts in USD; times in ms.
 */
import { AppError } from '../errors/app-error.js';
import { BUSY_RETRY_S, NO_CLIENT_RETRY } from '../accounting/refusals.js';
import { nextUtcMonth, secondsToMidnight } from '../accounting/utc-day.js';

/** What an issued key's USD limits are; null: none (only the global cap applies). */
export interface KeySpendLimits {
  readonly daily_usd: number | null;
  readonly monthly_usd: number | null;
}

/** What a caller's key allows; an issued key's record has these fields. */
export interface KeyLimits extends KeySpendLimits {
  readonly id: string;
  readonly rpm: number;
  readonly max_concurrent: number;
}

export interface Bucket {
  tokens: number;
  at: number;
}

export type RpmDecision = { ok: true; bucket: Bucket } | { ok: false; bucket: Bucket; retryAfterMs: number };

/** Takes one request from the key's bucket (full at first use). */
export function admitRequest(bucket: Bucket | undefined, rpm: number, now: number): RpmDecision {
  const perMs = rpm / 60_000;
  const refilled = bucket ? Math.min(rpm, bucket.tokens + Math.max(0, now - bucket.at) * perMs) : rpm;
  if (refilled >= 1) return { ok: true, bucket: { tokens: refilled - 1, at: now } };
  return { ok: false, bucket: { tokens: refilled, at: now }, retryAfterMs: Math.ceil((1 - refilled) / perMs) };
}

/** A key's spend and calls in flight, today and this UTC month, as the ledger keeps them. */
export interface KeySpend {
  spent_day: number;
  reserved_day: number;
  spent_month: number;
  reserved_month: number;
}

export type KeySpendDecision =
  | { ok: true }
  | { ok: false; code: 'key_daily_limit' | 'key_monthly_limit' /** Only calls in flight hold the room: worth a short wait. */; busy: boolean }
  | { ok: false; code: 'key_request_too_costly' };

const EPSILON = 1e-9;

/** Whether a key has any USD limit of its own (else only the global cap applies, and nothing need be looked up). */
export function hasSpendLimit(limits: KeySpendLimits | undefined): limits is KeySpendLimits {
  return limits !== undefined && (limits.daily_usd !== null || limits.monthly_usd !== null);
}

/** Admits a call's worst case only if it fits the key's day and month, counting calls in flight; NaN refuses. */
export function decideKeySpend(spend: KeySpend, worstUsd: number, limits: KeySpendLimits): KeySpendDecision {
  const { daily_usd: day, monthly_usd: month } = limits;
  if ((day !== null && !(worstUsd <= day)) || (month !== null && !(worstUsd <= month))) return { ok: false, code: 'key_request_too_costly' };
  if (day !== null && !(spend.spent_day + spend.reserved_day + worstUsd <= day + EPSILON)) {
    return { ok: false, code: 'key_daily_limit', busy: spend.spent_day + worstUsd <= day + EPSILON };
  }
  if (month !== null && !(spend.spent_month + spend.reserved_month + worstUsd <= month + EPSILON)) {
    return { ok: false, code: 'key_monthly_limit', busy: spend.spent_month + worstUsd <= month + EPSILON };
  }
  return { ok: true };
}

/** The refusal of a call of `worstUsd` by the key's limits: 422 when it could never fit, else 429 with when to come back. */
export function keySpendRefusal(decision: Exclude<KeySpendDecision, { ok: true }>, worstUsd: number, limits: KeySpendLimits, now: number): AppError {
  if (decision.code === 'key_request_too_costly') {
    return new AppError(
      422,
      decision.code,
      `This call could cost up to $${worstUsd.toFixed(4)}, more than this key's limit allows. Ask for fewer tokens (max_tokens).`,
      { headers: NO_CLIENT_RETRY },
    );
  }
  const daily = decision.code === 'key_daily_limit';
  const wait = decision.busy ? BUSY_RETRY_S : daily ? secondsToMidnight(now) : Math.max(1, Math.ceil((nextUtcMonth(now) - now) / 1000));
  const limit = daily ? `daily limit ($${limits.daily_usd})` : `monthly limit ($${limits.monthly_usd})`;
  const message = decision.busy
    ? `Calls in flight hold the rest of this key's ${limit}. Try again in ${BUSY_RETRY_S} s.`
    : `This key has used its ${limit}; it resets at the start of the next UTC ${daily ? 'day' : 'month'}.`;
  return new AppError(429, decision.code, message, { headers: { 'Retry-After': String(wait), ...(decision.busy ? {} : NO_CLIENT_RETRY) } });
}
