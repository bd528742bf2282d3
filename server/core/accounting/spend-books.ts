/**
 * The books: what was spent, per UTC day, model, issued key and session, kept in the store (and
 * so across restarts), with the alert when a day's spend crosses its fraction of the cap. They
 * hold money already spent; what calls in flight hold is in holdings.ts.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';
import type { StatePath, Store } from '../store/store.js';
import { alertReached } from './budget.js';
import type { Booking } from './holdings.js';
import { emptyDay, type DaySpend, type LedgerSlice, type ReservationRecord, type SpendLine } from './ledger-state.js';
import { roundUsd } from './pricing.js';
import { utcDay } from './utc-day.js';

export interface Actual {
  usd: number;
  tokens_in: number;
  tokens_out: number;
}

/** Days of spend kept (the gateway bills by month; a year and a month covers any report). */
const KEEP_DAYS = 400;

export interface SpendBooksOptions {
  store: Store<LedgerSlice>;
  clock: Clock;
  logger: Logger;
  capUsd: number;
  alertFraction: number;
}

export class SpendBooks {
  constructor(private readonly opts: SpendBooksOptions) {}

  /** USD spent (settled) on `day`. */
  spentOn(day: string): number {
    return this.opts.store.data.ledger.days[day]?.spent_usd ?? 0;
  }

  /** Whether `day`'s spend has crossed the alert fraction. */
  alerted(day: string): boolean {
    const spent = this.opts.store.data.ledger.days[day];
    return spent ? spent.alerted_at !== null || alertReached(spent.spent_usd, this.opts.capUsd, this.opts.alertFraction) : false;
  }

  /** What an issued key spent on `day` (its ledger totals' key). */
  keySpentOn(key: string, day: string): number {
    return this.opts.store.data.ledger.days[day]?.by_key[key]?.usd ?? 0;
  }

  /** What an issued key spent over `month` ("YYYY-MM"). */
  keySpentIn(key: string, month: string): number {
    const { days } = this.opts.store.data.ledger;
    let usd = 0;
    // Only this month's days (at most 31 lookups), not every day kept.
    for (let d = 1; d <= 31; d++) usd += days[`${month}-${String(d).padStart(2, '0')}`]?.by_key[key]?.usd ?? 0;
    return roundUsd(usd);
  }

  /** Books a cost and journals it (with `alsoPaths`, changed with it) in one line. */
  book(day: string, booking: Booking, actual: Actual, alsoPaths: StatePath[] = []): void {
    const { store, clock, capUsd, alertFraction } = this.opts;
    const usd = Number.isFinite(actual.usd) ? roundUsd(Math.max(0, actual.usd)) : 0;
    let crossed = false;
    const paths = [...alsoPaths, ...bookPaths(store.data, day, booking)];
    store.update((s) => {
      const record = (s.ledger.days[day] ??= emptyDay());
      addToDay(record, booking, { ...actual, usd });
      bookSession(s.sessions[booking.session ?? ''], usd);
      if (record.alerted_at === null && alertReached(record.spent_usd, capUsd, alertFraction)) {
        record.alerted_at = clock.now();
        crossed = true;
      }
    });
    void store.persist(paths);
    if (crossed) {
      this.opts.logger.warn({ day, spent_usd: this.spentOn(day), cap_usd: capUsd }, `daily spend passed ${Math.round(alertFraction * 100)}% of the cap`);
    }
  }

  /**
   * Charges reservations a previous process left (calls that never settled) at their worst case,
   * on their day, and journals it with `alsoPaths` (the records' own, now gone).
   */
  chargeOrphans(orphans: readonly ReservationRecord[], alsoPaths: StatePath[]): void {
    const paths = [...alsoPaths];
    this.opts.store.update((s) => {
      for (const r of orphans) {
        paths.push(...bookPaths(s, r.day, r));
        // Headroom is money, not a call: it is charged without counting one.
        addToDay((s.ledger.days[r.day] ??= emptyDay()), r, { usd: r.usd, tokens_in: 0, tokens_out: 0 }, r.headroom ? 0 : 1);
        bookSession(s.sessions[r.session ?? ''], r.usd);
      }
    });
    void this.opts.store.persist(paths);
  }

  /** Forgets days older than the retention. */
  prune(now: number): void {
    const oldest = utcDay(now - KEEP_DAYS * 86_400_000);
    const stale = Object.keys(this.opts.store.data.ledger.days).filter((d) => d < oldest);
    if (stale.length === 0) return;
    this.opts.store.update((s) => {
      for (const d of stale) delete s.ledger.days[d];
    });
  }
}

/** What booking a cost on `day` changes: the whole day when it is new (so its replay is a whole record), else its totals and lines. */
function bookPaths(
  s: { ledger: { days: Record<string, DaySpend> }; sessions: Record<string, unknown> },
  day: string,
  b: Pick<Booking, 'model' | 'session' | 'key'>,
): StatePath[] {
  const base = ['ledger', 'days', day];
  const paths: StatePath[] = Object.hasOwn(s.ledger.days, day)
    ? [[...base, 'spent_usd'], [...base, 'calls'], [...base, 'alerted_at'], [...base, 'by_model', b.model], ...(b.key ? [[...base, 'by_key', b.key]] : [])]
    : [base];
  if (b.session && Object.hasOwn(s.sessions, b.session)) paths.push(['sessions', b.session, 'spent_usd']);
  return paths;
}

function addToDay(record: DaySpend, booking: Pick<Booking, 'model' | 'key'>, actual: Actual, calls = 1): void {
  record.spent_usd = roundUsd(record.spent_usd + actual.usd);
  record.calls += calls;
  addLine((record.by_model[booking.model] ??= emptyLine()), actual, calls);
  if (booking.key) addLine((record.by_key[booking.key] ??= emptyLine()), actual, calls);
}

function bookSession(session: { spent_usd?: number } | undefined, usd: number): void {
  if (session) session.spent_usd = roundUsd((session.spent_usd ?? 0) + usd);
}

function addLine(line: SpendLine, actual: Actual, calls: number): void {
  line.usd = roundUsd(line.usd + actual.usd);
  line.calls += calls;
  line.tokens_in += actual.tokens_in;
  line.tokens_out += actual.tokens_out;
}

function emptyLine(): SpendLine {
  return { usd: 0, calls: 0, tokens_in: 0, tokens_out: 0 };
}
