/** Pure decisions about the daily cap. All amounts in USD; the caller rounds with roundUsd. */

export interface DayTotals {
  spent_usd: number;
  /** Worst cases of calls in flight. */
  reserved_usd: number;
}

export type ReserveDecision =
  | { ok: true }
  /** Today's spend leaves no room for this call. */
  | { ok: false; code: 'daily_budget_exhausted' }
  /** Only calls in flight hold the room; they settle (usually far below their worst case) within minutes. */
  | { ok: false; code: 'budget_busy' }
  /** This one call could cost more than the whole cap: waiting would not help. */
  | { ok: false; code: 'request_too_costly' };

/** Slack for float noise in sums that were each rounded to 1e-8. */
const EPSILON = 1e-9;

/**
 * Admits a reservation only if spent + reserved + its worst case stays within the cap. Written so
 * that anything not a number (NaN from a broken count) refuses rather than admits.
 */
export function decideReservation(totals: DayTotals, worstCaseUsd: number, capUsd: number): ReserveDecision {
  if (!(worstCaseUsd <= capUsd)) return { ok: false, code: 'request_too_costly' };
  if (totals.spent_usd + totals.reserved_usd + worstCaseUsd <= capUsd + EPSILON) return { ok: true };
  return totals.spent_usd + worstCaseUsd <= capUsd + EPSILON ? { ok: false, code: 'budget_busy' } : { ok: false, code: 'daily_budget_exhausted' };
}

/** Whether today's spend has reached the alert threshold. */
export function alertReached(spentUsd: number, capUsd: number, fraction: number): boolean {
  return spentUsd >= capUsd * fraction;
}
