/**
 * Pure decisions for an issued key's limits: requests per minute (a token bucket, so a key may
 * burst up to its rpm and then runs at rpm / 60 per second) and its daily and monthly USD,
 * which hold reservations exactly as the global cap does. Amounts in USD; times in ms.
 */

import type { KeyTotals } from '../accounting/ledger.js';

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

/** A key's spend and calls in flight, today and this month, as the ledger keeps them. */
export type KeySpend = KeyTotals;

export type KeySpendDecision =
  | { ok: true }
  | { ok: false; code: 'key_daily_limit' | 'key_monthly_limit' /** Only calls in flight hold the room: worth a short wait. */; busy: boolean }
  | { ok: false; code: 'key_request_too_costly' };

const EPSILON = 1e-9;

/** Admits a call's worst case only if it fits the key's day and month, counting calls in flight; NaN refuses. */
export function decideKeySpend(spend: KeySpend, worstUsd: number, limits: { daily_usd: number | null; monthly_usd: number | null }): KeySpendDecision {
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
