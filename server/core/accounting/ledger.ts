import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';
import type { StatePath, Store } from '../store/store.js';
import { AppError } from '../errors/app-error.js';
import { alertReached, decideReservation } from './budget.js';
import { HEADROOM_IDLE_MS, headroomFor } from './headroom.js';
import { emptyDay, type DaySpend, type LedgerSlice, type ReservationRecord, type SpendLine } from './ledger-state.js';
import { roundUsd } from './pricing.js';
import { nextUtcMidnight, secondsToMidnight, utcDay, utcMonth } from './utc-day.js';

/** Tells the official OpenAI clients not to retry by themselves (a wait of hours, or no point). */
export const NO_CLIENT_RETRY = { 'x-should-retry': 'false' } as const;

/** Calls in flight settle within their deadline; most finish far sooner (the cap's and the issued keys' "busy" wait). */
export const BUSY_RETRY_S = 30;

/** An issued key's spend and calls in flight, today and this UTC month. */
export interface KeyTotals {
  spent_day: number;
  reserved_day: number;
  spent_month: number;
  reserved_month: number;
}

/** Days of spend kept (the gateway bills by month; a year and a month covers any report). */
const KEEP_DAYS = 400;

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

/** Headroom held for one booking: its reservation record, when it was last drawn on, and its journal write. */
interface OpenHeadroom {
  id: string;
  usedAt: number;
  written: Promise<void>;
}

/** Who a cost is booked to. */
export interface Booking {
  model: string;
  session: string | null;
  key: string | null;
}

export interface Actual {
  usd: number;
  tokens_in: number;
  tokens_out: number;
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
  /** Reserved USD per day, kept in memory so a decision does not walk the reservations. */
  private readonly reserved = new Map<string, number>();
  /** The same per issued key (its limits are decided on every call: no walk over the reservations). */
  private readonly keyReserved = new Map<string, Map<string, number>>();
  /** By booking and day (bookingKey). */
  private readonly headroom = new Map<string, OpenHeadroom>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly opts: LedgerOptions) {}

  /**
   * Charges reservations left by a previous process (calls that never settled) at their worst
   * case. Call once at start-up, after the store replayed its journal. Returns what it charged (the
   * gateway books issued keys' part in its usage record).
   */
  recover(): ReservationRecord[] {
    const all = this.opts.store.data.ledger.reservations;
    // A call drawn on headroom is covered by it: the headroom is charged, the draw is not charged again.
    const orphans = Object.entries(all).filter(([, r]) => r.covered_by === undefined || !Object.hasOwn(all, r.covered_by));
    if (orphans.length === 0) return [];
    const paths: StatePath[] = Object.keys(all).map(reservationPath);
    this.opts.store.update((s) => {
      s.ledger.reservations = {};
      for (const [, r] of orphans) {
        paths.push(...bookPaths(s, r.day, r));
        // Headroom is money, not a call: it is charged without counting one.
        book((s.ledger.days[r.day] ??= emptyDay()), r, { usd: r.usd, tokens_in: 0, tokens_out: 0 }, r.headroom ? 0 : 1);
        bookSession(s.sessions[r.session ?? ''], r.usd);
      }
    });
    void this.opts.store.persist(paths);
    const headroom = orphans.filter(([, r]) => r.headroom);
    this.opts.logger.warn(
      {
        count: orphans.length - headroom.length,
        headroom_usd: roundUsd(headroom.reduce((sum, [, r]) => sum + r.usd, 0)),
        headroom_keys: [...new Set(headroom.map(([, r]) => r.key))],
      },
      'calls cut off by a restart, and headroom held for calls that might have left, were charged at their reserved worst case',
    );
    return orphans.map(([, r]) => r);
  }

  /**
   * Holds `usd` against today's cap, or throws 429 daily_budget_exhausted (422 if no day could fit
   * it). `guard` (an issued key's own limits) decides in the same synchronous step, so no two calls
   * see the same totals there either; it throws to refuse. With a journal, the line that makes the
   * reservation durable starts here (persist() waits for it), or the call draws on headroom an
   * earlier line of the same booking holds.
   */
  reserve(usd: number, booking: Booking, guard?: (amount: number) => void): Reservation {
    const now = this.opts.clock.now();
    const day = utcDay(now);
    const amount = roundUsd(Math.max(0, usd));
    this.sweepHeadroom(now, day);
    const drawn = this.drawHeadroom(day, booking, amount, guard, now);
    if (drawn) return drawn;
    this.admit(day, amount, booking, guard, now);
    const id = this.hold(day, booking, amount, now);
    const extra = this.openHeadroom(day, booking, amount, guard, now);
    const written = this.opts.store.persist(extra ? [reservationPath(id), reservationPath(extra)] : [reservationPath(id)]);
    if (extra) {
      this.headroom.set(bookingKey(day, booking), { id: extra, usedAt: now, written });
      this.sweepLater();
      // Headroom that never reached the disk covers nothing: it goes back at once.
      written.catch(() => this.closeHeadroom(bookingKey(day, booking), extra));
    }
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
    for (const key of [...this.headroom.keys()]) this.closeHeadroom(key);
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Refuses (throws) a call the cap or the key's guard cannot fit; headroom held for others is given back first, so it never refuses a call. */
  private admit(day: string, amount: number, booking: Booking, guard: ((amount: number) => void) | undefined, now: number): void {
    let decision = decideReservation(this.totals(day), amount, this.opts.capUsd);
    // (A call dearer than the whole cap fits no matter what: it must not cost every key its headroom.)
    if (!decision.ok && decision.code !== 'request_too_costly' && this.headroom.size > 0) {
      this.releaseHeadroom();
      decision = decideReservation(this.totals(day), amount, this.opts.capUsd);
    }
    if (!decision.ok) throw this.refusal(decision.code, amount, now);
    if (!guard) return;
    try {
      guard(amount);
    } catch (err) {
      if (!this.closeKeyHeadroom(booking.key)) throw err;
      guard(amount);
    }
  }

  /** A new reservation record held against the cap (and its key); returns its id. */
  private hold(day: string, booking: Booking, amount: number, now: number, headroom = false): string {
    const id = newId(now);
    this.reserved.set(day, roundUsd((this.reserved.get(day) ?? 0) + amount));
    if (booking.key) this.holdForKey(booking.key, day, amount);
    this.opts.store.update((s) => {
      s.ledger.reservations[id] = {
        usd: amount,
        day,
        at: now,
        model: booking.model,
        session: booking.session,
        key: booking.key,
        ...(headroom ? { headroom: true as const } : {}),
      };
    });
    return id;
  }

  /**
   * A call covered by this booking's headroom: nothing new is held and nothing is journaled (the
   * headroom's line on disk already covers it); the headroom counts it as drawn until it settles.
   */
  private drawHeadroom(day: string, booking: Booking, amount: number, guard: ((amount: number) => void) | undefined, now: number): Reservation | undefined {
    const key = bookingKey(day, booking);
    const open = this.headroom.get(key);
    if (!open) return undefined;
    const room = this.opts.store.data.ledger.reservations[open.id];
    // Not enough left, or the key's limits were lowered since it was opened (its guard refuses even nothing more).
    if (!room || room.usd - (room.drawn ?? 0) < amount || (guard && !allows(guard, 0))) {
      this.closeHeadroom(key, open.id);
      return undefined;
    }
    open.usedAt = now;
    const id = newId(now);
    this.opts.store.update((s) => {
      const h = s.ledger.reservations[open.id]!;
      h.drawn = roundUsd((h.drawn ?? 0) + amount);
      s.ledger.reservations[id] = { usd: amount, day, at: now, model: booking.model, session: booking.session, key: booking.key, covered_by: open.id };
    });
    return { id, usd: amount, written: open.written };
  }

  /** Headroom beside a new reservation, when the rules, the cap and the key's guard all allow it; returns its record id. */
  private openHeadroom(day: string, booking: Booking, amount: number, guard: ((amount: number) => void) | undefined, now: number): string | undefined {
    // Programs on issued keys make many like calls in a row (the gateway's latency budget); page visitors do not.
    if (booking.key === null) return undefined;
    let usd = 0;
    let count = 0;
    for (const open of this.headroom.values()) {
      usd += this.opts.store.data.ledger.reservations[open.id]?.usd ?? 0;
      count++;
    }
    const extra = headroomFor(amount, this.opts.capUsd, { usd, count });
    if (extra === 0 || !decideReservation(this.totals(day), extra, this.opts.capUsd).ok || (guard && !allows(guard, extra))) return undefined;
    this.closeHeadroom(bookingKey(day, booking)); // an exhausted one for this booking, if any
    return this.hold(day, booking, extra, now, true);
  }

  /** While any headroom is open, a timer gives back what goes idle even when no call comes to notice. */
  private sweepLater(): void {
    this.sweeper ??= setInterval(() => {
      const now = this.opts.clock.now();
      this.sweepHeadroom(now, utcDay(now));
      if (this.headroom.size === 0) {
        clearInterval(this.sweeper);
        this.sweeper = undefined;
      }
    }, HEADROOM_IDLE_MS);
    this.sweeper.unref();
  }

  /** Headroom idle for a while, or from a past day, goes back to the cap. */
  private sweepHeadroom(now: number, day: string): void {
    for (const [key, open] of this.headroom) {
      if (now - open.usedAt > HEADROOM_IDLE_MS || this.opts.store.data.ledger.reservations[open.id]?.day !== day) this.closeHeadroom(key, open.id);
    }
  }

  /** No more draws: the unused room goes back to the cap; what calls in flight drew stays held until they settle. */
  private closeHeadroom(key: string, id?: string): void {
    const open = this.headroom.get(key);
    if (!open || (id !== undefined && open.id !== id)) return;
    this.headroom.delete(key);
    const room = this.opts.store.data.ledger.reservations[open.id];
    if (!room) return;
    const drawn = room.drawn ?? 0;
    this.letGo(room, roundUsd(room.usd - drawn));
    this.opts.store.update((s) => {
      if (drawn > 0) s.ledger.reservations[open.id]!.usd = drawn;
      else delete s.ledger.reservations[open.id];
    });
    void this.opts.store.persist([reservationPath(open.id)]);
    this.opts.onChange?.();
  }

  /** Closes an issued key's headroom; whether there was any. */
  private closeKeyHeadroom(keyId: string | null): boolean {
    let closed = false;
    for (const [key, open] of this.headroom) {
      if (keyId === null || this.opts.store.data.ledger.reservations[open.id]?.key !== keyId) continue;
      this.closeHeadroom(key, open.id);
      closed = true;
    }
    return closed;
  }

  /**
   * Replaces the reservation by the real cost, on the day it was reserved; a cost that is not a
   * number is charged the reservation. Settling twice is a no-op (false).
   */
  settle(reservation: Reservation, actual: Actual, booking: Booking): boolean {
    const held = this.unhold(reservation.id);
    if (!held) return false;
    const { record, paths } = held;
    const usd = Number.isFinite(actual.usd) && actual.usd >= 0 ? actual.usd : record.usd;
    if (usd > record.usd)
      this.opts.logger.warn(
        { model: booking.model, cost_usd: usd, reserved_usd: record.usd },
        'a call cost more than its reservation (a price changed upstream?)',
      );
    this.book(record.day, booking, { ...actual, usd }, paths);
    return true;
  }

  /** Drops a reservation whose call never left (nothing to book). */
  release(reservation: Reservation): void {
    const held = this.unhold(reservation.id);
    if (!held) return;
    void this.opts.store.persist(held.paths);
    this.opts.onChange?.();
  }

  /**
   * Removes a call's reservation from the cap's holdings (a drawn call: its part of the headroom,
   * which goes when nothing is left in it and it is closed); undefined if it was already settled.
   * Returns the paths that changed.
   */
  private unhold(id: string): { record: ReservationRecord; paths: StatePath[] } | undefined {
    const record = this.opts.store.data.ledger.reservations[id];
    if (!record) return undefined;
    const coverId = record.covered_by;
    const cover = coverId === undefined ? undefined : this.opts.store.data.ledger.reservations[coverId];
    if (coverId === undefined || cover) this.letGo(record, record.usd); // a draw whose headroom is gone holds nothing any more
    const stillOpen = [...this.headroom.values()].some((o) => o.id === coverId);
    this.opts.store.update((s) => {
      delete s.ledger.reservations[id];
      if (coverId === undefined || !cover) return;
      const h = s.ledger.reservations[coverId]!;
      h.usd = roundUsd(h.usd - record.usd);
      h.drawn = roundUsd((h.drawn ?? 0) - record.usd);
      if (!stillOpen && h.usd <= 0) delete s.ledger.reservations[coverId];
    });
    return { record, paths: coverId === undefined ? [reservationPath(id)] : [reservationPath(id), reservationPath(coverId)] };
  }

  /** Takes `amount` of a record's day (and key) off the cap's holdings. */
  private letGo(record: Pick<ReservationRecord, 'day' | 'key'>, amount: number): void {
    this.reserved.set(record.day, roundUsd(Math.max(0, (this.reserved.get(record.day) ?? 0) - amount)));
    if (record.key) this.holdForKey(record.key, record.day, -amount);
  }

  private holdForKey(key: string, day: string, delta: number): void {
    const days = this.keyReserved.get(key) ?? new Map<string, number>();
    const next = roundUsd((days.get(day) ?? 0) + delta);
    if (next > 0) days.set(day, next);
    else days.delete(day);
    if (days.size > 0) this.keyReserved.set(key, days);
    else this.keyReserved.delete(key);
  }

  /** Books a call that needed no reservation (a free model, a cached answer). */
  record(booking: Booking, actual: Actual): void {
    this.book(utcDay(this.opts.clock.now()), booking, actual);
  }

  /** An issued key's spend and calls in flight, today and this UTC month (its own limits). */
  keyTotals(key: string, now: number): KeyTotals {
    const day = utcDay(now);
    const month = utcMonth(now);
    let spent_month = 0;
    // Only this month's days (at most 31 lookups), not every day kept.
    for (let d = 1; d <= 31; d++) spent_month += this.opts.store.data.ledger.days[`${month}-${String(d).padStart(2, '0')}`]?.by_key[key]?.usd ?? 0;
    let reserved_month = 0;
    for (const [d, usd] of this.keyReserved.get(key) ?? []) if (d.startsWith(month)) reserved_month += usd;
    return {
      spent_day: this.opts.store.data.ledger.days[day]?.by_key[key]?.usd ?? 0,
      reserved_day: this.keyReserved.get(key)?.get(day) ?? 0,
      spent_month: roundUsd(spent_month),
      reserved_month: roundUsd(reserved_month),
    };
  }

  /** Today's totals for everyone: the header meter, the banner and /metrics. */
  usage(): GlobalUsage {
    const now = this.opts.clock.now();
    const day = utcDay(now);
    this.sweepHeadroom(now, day);
    const { spent_usd, reserved_usd } = this.totals(day);
    const spent = this.opts.store.data.ledger.days[day];
    return {
      day,
      spent_usd_today: spent_usd,
      reserved_usd,
      cap_usd: this.opts.capUsd,
      remaining_usd: roundUsd(Math.max(0, this.opts.capUsd - spent_usd - reserved_usd)),
      resets_at: new Date(nextUtcMidnight(now)).toISOString(),
      alert: spent ? spent.alerted_at !== null || alertReached(spent.spent_usd, this.opts.capUsd, this.opts.alertFraction) : false,
      alert_at_fraction: this.opts.alertFraction,
    };
  }

  /** Forgets days older than the retention. */
  prune(): void {
    this.sweepHeadroom(this.opts.clock.now(), utcDay(this.opts.clock.now()));
    const oldest = utcDay(this.opts.clock.now() - KEEP_DAYS * 86_400_000);
    const stale = Object.keys(this.opts.store.data.ledger.days).filter((d) => d < oldest);
    if (stale.length === 0) return;
    this.opts.store.update((s) => {
      for (const d of stale) delete s.ledger.days[d];
    });
  }

  private totals(day: string) {
    return { spent_usd: this.opts.store.data.ledger.days[day]?.spent_usd ?? 0, reserved_usd: this.reserved.get(day) ?? 0 };
  }

  /** Books a cost and journals it (with `alsoPaths`, changed with it) in one line. */
  private book(day: string, booking: Booking, actual: Actual, alsoPaths: StatePath[] = []): void {
    const usd = Number.isFinite(actual.usd) ? roundUsd(Math.max(0, actual.usd)) : 0;
    let crossed = false;
    const paths = [...alsoPaths, ...bookPaths(this.opts.store.data, day, booking)];
    this.opts.store.update((s) => {
      const record = (s.ledger.days[day] ??= emptyDay());
      book(record, booking, { ...actual, usd });
      bookSession(s.sessions[booking.session ?? ''], usd);
      if (record.alerted_at === null && alertReached(record.spent_usd, this.opts.capUsd, this.opts.alertFraction)) {
        record.alerted_at = this.opts.clock.now();
        crossed = true;
      }
    });
    void this.opts.store.persist(paths);
    if (crossed) {
      const { spent_usd } = this.totals(day);
      this.opts.logger.warn({ day, spent_usd, cap_usd: this.opts.capUsd }, `daily spend passed ${Math.round(this.opts.alertFraction * 100)}% of the cap`);
    }
    this.opts.onChange?.();
  }

  private refusal(code: 'daily_budget_exhausted' | 'budget_busy' | 'request_too_costly', amount: number, now: number): AppError {
    if (code === 'request_too_costly') {
      return new AppError(
        422,
        code,
        `This call could cost up to $${amount.toFixed(4)}, more than the whole daily cap ($${this.opts.capUsd}). Ask for fewer tokens (max_tokens) or a shorter prompt.${this.opts.wayOut}`,
        { headers: NO_CLIENT_RETRY },
      );
    }
    if (code === 'budget_busy') {
      return new AppError(
        429,
        code,
        `Calls in flight hold the rest of today's budget for the Space's key until they finish. Try again in ${BUSY_RETRY_S} s, or ask for fewer tokens.${this.opts.wayOut}`,
        {
          headers: { 'Retry-After': String(BUSY_RETRY_S) },
        },
      );
    }
    const wait = secondsToMidnight(now);
    return new AppError(
      429,
      code,
      `Today's budget for the Space's key ($${this.opts.capUsd}) is used up; it resets at midnight UTC (in ${Math.ceil(wait / 3600)} h). Free models still work.${this.opts.wayOut}`,
      // Hours away: SDKs that honour Retry-After would hang; x-should-retry tells them not to wait.
      { headers: { 'Retry-After': String(wait), ...NO_CLIENT_RETRY } },
    );
  }
}

const reservationPath = (id: string): StatePath => ['ledger', 'reservations', id];

const newId = (now: number) => `${now.toString(36)}-${randomBytes(6).toString('base64url')}`;

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

function bookingKey(day: string, b: Booking): string {
  return `${day}\n${b.model}\n${b.session ?? ''}\n${b.key ?? ''}`;
}

function allows(guard: (amount: number) => void, usd: number): boolean {
  try {
    guard(usd);
    return true;
  } catch {
    return false;
  }
}

function book(record: DaySpend, booking: Booking, actual: Actual, calls = 1): void {
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
