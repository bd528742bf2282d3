/** Pure decisions about the daily cap. All amounts in USD; the caller rounds with roundUsd. */

export interface DayTotals {
  spent_usd: number;
  /** Worst cases of calls in flight. */
  reserved_usd: number;
}

export type ReserveDecision =
  | { ok: true }
  /** The cap has no room for this call today. */
  | { ok: false; code: 'daily_budget_exhausted'; room_usd: number }
  /** This one call could cost more than the whole cap: waiting would not help. */
  | { ok: false; code: 'request_too_costly'; room_usd: number };

/** Admits a reservation only if spent + reserved + its worst case stays within the cap. */
export function decideReservation(totals: DayTotals, worstCaseUsd: number, capUsd: number): ReserveDecision {
  const room = Math.max(0, capUsd - totals.spent_usd - totals.reserved_usd);
  if (worstCaseUsd > capUsd) return { ok: false, code: 'request_too_costly', room_usd: room };
  // A tiny epsilon absorbs float noise in sums that were each rounded to 1e-8.
  if (totals.spent_usd + totals.reserved_usd + worstCaseUsd > capUsd + 1e-9) return { ok: false, code: 'daily_budget_exhausted', room_usd: room };
  return { ok: true };
}

/** Whether today's spend has reached the alert threshold. */
export function alertReached(spentUsd: number, capUsd: number, fraction: number): boolean {
  return spentUsd >= capUsd * fraction;
}
