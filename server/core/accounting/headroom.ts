/**
 * Reservation headroom: a journal line may hold more than the call it was written for, so the
 * next calls of the same booking (day, model, issued key) are covered by a line already on disk
 * and leave without waiting for a disk sync. Only issued keys get it (programs calling the
 * gateway in a row, whose overhead budget is 0.5 ms). After a crash the unused rest is charged like
 * any reservation, so the cap still holds; the held amount is small and short-lived by these rules.
 */
import { roundUsd } from './pricing.js';

/** More calls like this one that one journal line may cover. */
export const HEADROOM_CALLS = 31;
/** At most this fraction of the cap per booking, and for all bookings together. */
const PER_BOOKING_FRACTION = 0.01;
const TOTAL_FRACTION = 0.05;
/** Bookings with headroom at once. */
const MAX_OPEN = 64;
/** Headroom nobody drew from for this long goes back to the cap. */
export const HEADROOM_IDLE_MS = 5_000;

/** USD of headroom to hold beside a reservation of `worstUsd`; 0 when it would cover fewer than two more calls. */
export function headroomFor(worstUsd: number, capUsd: number, open: { usd: number; count: number }): number {
  if (!(worstUsd > 0) || open.count >= MAX_OPEN) return 0;
  const usd = roundUsd(Math.min(worstUsd * HEADROOM_CALLS, capUsd * PER_BOOKING_FRACTION, capUsd * TOTAL_FRACTION - open.usd));
  return usd >= 2 * worstUsd ? usd : 0;
}
