/**
 * The daily cap's decision: reserve a call's worst case before it leaves, settle to its real
 * cost after (or release a call that never left). An issued key's own USD limits come with the
 * reservation as data and are decided in the same synchronous step (key-limit-rules.ts), so no
 * two decisions ever see the same totals. What is held lives in holdings.ts, the headroom for
 * issued keys in headroom-pool.ts, what was spent in spend-books.ts.
 */
import type { Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import { decideKeySpend, hasSpendLimit, keySpendRefusal, type KeySpend, type KeySpendLimits } from '../policy/key-limit-rules.js';
import { decideReservation } from './budget.js';
import { HeadroomPool } from './headroom-pool.js';
import { Holdings, reservationPath, type Booking } from './holdings.js';
import type { LedgerSlice, ReservationRecord } from './ledger-state.js';
import { roundUsd } from './pricing.js';
import { capRefusal } from './refusals.js';
import { SpendBooks, type Actual } from './spend-books.js';
import { nextUtcMidnight, utcDay, utcMonth } from './utc-day.js';

export type { Booking } from './holdings.js';
export type { Actual } from './spend-books.js';

/** An issued key's spend and calls in flight, today and this UTC month. */
export type KeyTotals = KeySpend;

export interface LedgerOptions {
  store: Store<LedgerSlice>;
  clock: Clock;
  logger: Logger;
  capUsd: number;
  alertFraction: number;
  /** How to get out of a refusal (bring your own key, duplicate the Space), appended to messages. */
  wayOut: string;
  /** Called after every change to today's totals (the usage topic and the metrics listen). */
  onChange?: () => void;
}

export interface Reservation {
  readonly id: string;
  readonly usd: number;
  /** Resolves once the journal line that covers this call is on disk (its own, or the headroom's it drew on). */
  readonly written: Promise<void>;
}

export interface GlobalUsage {
  day: string;
  spent_usd_today: number;
  reserved_usd: number;
  cap_usd: number;
  remaining_usd: number;
  resets_at: string;
  alert: boolean;
  alert_at_fraction: number;
}

/**
 * The daily cap and the spending ledger. reserve() and settle() are synchronous, so under any
 * number of concurrent requests no two decisions ever see the same totals: the cap holds.
 * Every change goes to the store's change journal in the order it was made (a reservation is on
 * disk before its call leaves; a settlement before it is reported), so after a crash the ledger
 * is as it was at some moment, never more than the cap: a reservation found at start-up belongs
 * to a call that never settled, and is charged in full, since the provider may have billed it.
 */
export class Ledger {
  private readonly holdings: Holdings;
  private readonly headroom: HeadroomPool;
  private readonly books: SpendBooks;
  /** Whether a headroom record still takes draws (what settling a call drawn on it needs to know). */
  private readonly headroomOpen = (id: string) => this.headroom.isOpen(id);

  constructor(private readonly opts: LedgerOptions) {
    const { store, clock, capUsd } = opts;
    this.holdings = new Holdings(store);
    this.headroom = new HeadroomPool({ store, holdings: this.holdings, clock, capUsd, ...(opts.onChange ? { onChange: opts.onChange } : {}) });
    this.books = new SpendBooks(opts);
  }

  /**
   * Charges reservations left by a previous process (calls that never settled) at their worst
   * case. Call once at start-up, after the store replayed its journal. Returns what it charged (the
   * gateway books issued keys' part in its usage record).
   */
  recover(): ReservationRecord[] {
    const all = this.holdings.records;
    // A call drawn on headroom is covered by it: the headroom is charged, the draw is not charged again.
    const orphans = Object.values(all).filter((r) => r.covered_by === undefined || !Object.hasOwn(all, r.covered_by));
    if (orphans.length === 0) return [];
    this.books.chargeOrphans(orphans, this.holdings.clear());
    const headroom = orphans.filter((r) => r.headroom);
    this.opts.logger.warn(
      {
        count: orphans.length - headroom.length,
        headroom_usd: roundUsd(headroom.reduce((sum, r) => sum + r.usd, 0)),
        headroom_keys: [...new Set(headroom.map((r) => r.key))],
      },
      'calls cut off by a restart, and headroom held for calls that might have left, were charged at their reserved worst case',
    );
    return orphans;
  }

  /**
   * Holds `usd` against today's cap, or throws 429 daily_budget_exhausted (422 if no day could fit
   * it). `limits` (an issued key's own) are decided in the same synchronous step, against the key's
   * totals, so no two calls see the same totals there either. With a journal, the line that makes
   * the reservation durable starts here (persist() waits for it), or the call draws on headroom an
   * earlier line of the same booking holds.
   */
  reserve(usd: number, booking: Booking, limits?: KeySpendLimits): Reservation {
    const now = this.opts.clock.now();
    const day = utcDay(now);
    const amount = roundUsd(Math.max(0, usd));
    const key = booking.key;
    const keyLimits = key !== null && hasSpendLimit(limits) ? limits : undefined;
    const keyFits = keyLimits && key ? (x: number) => decideKeySpend(this.keyTotals(key, now), x, keyLimits).ok : undefined;
    this.headroom.sweep(now, day);
    const drawn = this.headroom.draw(day, booking, amount, keyFits, now);
    if (drawn) return { id: drawn.id, usd: amount, written: drawn.written };
    this.admit(day, amount, key, keyLimits, now);
    const id = this.holdings.hold(day, booking, amount, now);
    const fits = (x: number) => decideReservation(this.totals(day), x, this.opts.capUsd).ok && (!keyFits || keyFits(x));
    const extra = this.headroom.hold(day, booking, amount, fits, now);
    const written = this.opts.store.persist(extra ? [reservationPath(id), reservationPath(extra)] : [reservationPath(id)]);
    if (extra) this.headroom.track(day, booking, extra, written, now);
    this.opts.onChange?.();
    return { id, usd: amount, written };
  }

  /** Resolves once the reservation is on disk, so a crash cannot forget a call already sent. */
  persist(reservation: Reservation): Promise<void> {
    return reservation.written;
  }

  /** Resolves once every change so far is on disk (a settlement before its cost is reported). */
  durable(): Promise<void> {
    return this.opts.store.durable();
  }

  /** Gives every booking's headroom back to the cap (shutdown: a clean restart then charges none of it). */
  releaseHeadroom(): void {
    this.headroom.closeAll();
    this.headroom.stop();
  }

  /**
   * Replaces the reservation by the real cost, on the day it was reserved; a cost that is not a
   * number is charged the reservation. Settling twice is a no-op (false).
   */
  settle(reservation: Reservation, actual: Actual, booking: Booking): boolean {
    const held = this.holdings.unhold(reservation.id, this.headroomOpen);
    if (!held) return false;
    const { record, paths } = held;
    const usd = Number.isFinite(actual.usd) && actual.usd >= 0 ? actual.usd : record.usd;
    if (usd > record.usd)
      this.opts.logger.warn(
        { model: booking.model, cost_usd: usd, reserved_usd: record.usd },
        'a call cost more than its reservation (a price changed upstream?)',
      );
    this.books.book(record.day, booking, { ...actual, usd }, paths);
    this.opts.onChange?.();
    return true;
  }

  /** Drops a reservation whose call never left (nothing to book). */
  release(reservation: Reservation): void {
    const held = this.holdings.unhold(reservation.id, this.headroomOpen);
    if (!held) return;
    void this.opts.store.persist(held.paths);
    this.opts.onChange?.();
  }

  /** Books a call that needed no reservation (a free model, a cached answer). */
  record(booking: Booking, actual: Actual): void {
    this.books.book(utcDay(this.opts.clock.now()), booking, actual);
    this.opts.onChange?.();
  }

  /** An issued key's spend and calls in flight, today and this UTC month (its own limits). */
  keyTotals(key: string, now: number): KeyTotals {
    const day = utcDay(now);
    const month = utcMonth(now);
    return {
      spent_day: this.books.keySpentOn(key, day),
      reserved_day: this.holdings.keyReservedOn(key, day),
      spent_month: this.books.keySpentIn(key, month),
      reserved_month: this.holdings.keyReservedIn(key, month),
    };
  }

  /** Today's totals for everyone: the header meter, the banner and /metrics. */
  usage(): GlobalUsage {
    const now = this.opts.clock.now();
    const day = utcDay(now);
    this.headroom.sweep(now, day);
    const { spent_usd, reserved_usd } = this.totals(day);
    return {
      day,
      spent_usd_today: spent_usd,
      reserved_usd,
      cap_usd: this.opts.capUsd,
      remaining_usd: roundUsd(Math.max(0, this.opts.capUsd - spent_usd - reserved_usd)),
      resets_at: new Date(nextUtcMidnight(now)).toISOString(),
      alert: this.books.alerted(day),
      alert_at_fraction: this.opts.alertFraction,
    };
  }

  /** Forgets days older than the retention. */
  prune(): void {
    const now = this.opts.clock.now();
    this.headroom.sweep(now, utcDay(now));
    this.books.prune(now);
  }

  /** Refuses (throws) a call the cap or the key's limits cannot fit; headroom held for others is given back first, so it never refuses a call. */
  private admit(day: string, amount: number, key: string | null, limits: KeySpendLimits | undefined, now: number): void {
    let decision = decideReservation(this.totals(day), amount, this.opts.capUsd);
    // (A call dearer than the whole cap fits no matter what: it must not cost every key its headroom.)
    if (!decision.ok && decision.code !== 'request_too_costly' && this.headroom.size > 0) {
      this.releaseHeadroom();
      decision = decideReservation(this.totals(day), amount, this.opts.capUsd);
    }
    if (!decision.ok) throw capRefusal(decision.code, amount, now, this.opts.capUsd, this.opts.wayOut);
    if (!limits || key === null) return;
    let keyDecision = decideKeySpend(this.keyTotals(key, now), amount, limits);
    if (!keyDecision.ok && this.headroom.closeForKey(key)) keyDecision = decideKeySpend(this.keyTotals(key, now), amount, limits);
    if (!keyDecision.ok) throw keySpendRefusal(keyDecision, amount, limits, now);
  }

  private totals(day: string) {
    return { spent_usd: this.books.spentOn(day), reserved_usd: this.holdings.reservedOn(day) };
  }
}
