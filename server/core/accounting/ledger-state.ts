/** The persisted shape of the spending ledger (part of state.json). */

export interface SpendLine {
  usd: number;
  calls: number;
  tokens_in: number;
  tokens_out: number;
}

/** One UTC day of server-key spend (issued keys included; visitors' own keys never). */
export interface DaySpend {
  spent_usd: number;
  calls: number;
  /** When spend crossed the alert threshold (logged once per day); null until then. */
  alerted_at: number | null;
  by_model: Record<string, SpendLine>;
  /** Per issued key id (the gateway). */
  by_key: Record<string, SpendLine>;
}

/** A call in flight: its worst case is held against the cap of the day it started. */
export interface ReservationRecord {
  usd: number;
  day: string;
  at: number;
  model: string;
  session: string | null;
  key: string | null;
  /** Held for the booking's next calls (headroom.ts), not for a call of its own. */
  headroom?: true;
  /** On headroom: what calls in flight drew from it (still held by it, until they settle). */
  drawn?: number;
  /** On a call drawn on headroom: the headroom record that holds its worst case. */
  covered_by?: string;
}

/** The part of the state document the ledger keeps (and the sessions it books spend to). */
export interface LedgerSlice {
  ledger: LedgerState;
  sessions: Record<string, { spent_usd?: number }>;
}

export interface LedgerState {
  days: Record<string, DaySpend>;
  reservations: Record<string, ReservationRecord>;
  /** The last entry of the old reservations journal this state includes (legacy-journal.ts). */
  journal_seq?: number;
}

/** A reservation as the journal keeps it, on disk before its call leaves. */
export interface JournalReservation extends ReservationRecord {
  seq: number;
  id: string;
}

export function emptyLedger(): LedgerState {
  return { days: {}, reservations: {} };
}

export function emptyDay(): DaySpend {
  return { spent_usd: 0, calls: 0, alerted_at: null, by_model: {}, by_key: {} };
}
