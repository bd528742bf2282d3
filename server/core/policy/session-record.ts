/** A visitor session: the id is public, the signature that proves it is never stored. */
export interface SessionRecord {
  created_at: number;
  last_seen_at: number;
  /** Quota counters and spend on the server key (absent until the first model call). */
  cycles_used?: number;
  requests_used?: number;
  spent_usd?: number;
}

/** The sessions slice of the state document. */
export interface SessionsSlice {
  sessions: Record<string, SessionRecord>;
}
