/**
 * What the cap holds for calls in flight: the reservation records in the store (each on disk
 * before its call leaves) and, in memory, their sums per day and per issued key, so a decision
 * never walks the records.
 */
import { randomBytes } from 'node:crypto';
import type { StatePath, Store } from '../store/store.js';
import type { LedgerSlice, ReservationRecord } from './ledger-state.js';
import { roundUsd } from './pricing.js';

/** Who a cost is booked to. */
export interface Booking {
  model: string;
  session: string | null;
  key: string | null;
}

export class Holdings {
  /** Reserved USD per day. */
  private readonly reserved = new Map<string, number>();
  /** The same per issued key (its limits are decided on every call). */
  private readonly keyReserved = new Map<string, Map<string, number>>();

  constructor(private readonly store: Store<LedgerSlice>) {}

  /** The reservation records as stored (read-only use). */
  get records(): Record<string, ReservationRecord> {
    return this.store.data.ledger.reservations;
  }

  /** USD held today for calls in flight (and headroom). */
  reservedOn(day: string): number {
    return this.reserved.get(day) ?? 0;
  }

  /** USD an issued key holds on `day`. */
  keyReservedOn(key: string, day: string): number {
    return this.keyReserved.get(key)?.get(day) ?? 0;
  }

  /** USD an issued key holds over `month` ("YYYY-MM"). */
  keyReservedIn(key: string, month: string): number {
    let usd = 0;
    for (const [d, held] of this.keyReserved.get(key) ?? []) if (d.startsWith(month)) usd += held;
    return roundUsd(usd);
  }

  /** A new reservation record held against the cap (and its key); returns its id. */
  hold(day: string, booking: Booking, amount: number, now: number, headroom = false): string {
    const id = newId(now);
    this.reserved.set(day, roundUsd((this.reserved.get(day) ?? 0) + amount));
    if (booking.key) this.holdForKey(booking.key, day, amount);
    this.store.update((s) => {
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

  /** A call covered by the headroom record `coverId`: recorded as drawn on it; nothing new is held. */
  draw(coverId: string, booking: Booking, amount: number, day: string, now: number): string {
    const id = newId(now);
    this.store.update((s) => {
      const h = s.ledger.reservations[coverId]!;
      h.drawn = roundUsd((h.drawn ?? 0) + amount);
      s.ledger.reservations[id] = { usd: amount, day, at: now, model: booking.model, session: booking.session, key: booking.key, covered_by: coverId };
    });
    return id;
  }

  /**
   * Removes a call's reservation (a drawn call: its part of the headroom, which goes too when
   * nothing is left in it and `coverOpen` says it takes no more draws); undefined if it was
   * already settled. Returns the paths that changed.
   */
  unhold(id: string, coverOpen: (coverId: string) => boolean): { record: ReservationRecord; paths: StatePath[] } | undefined {
    const record = this.records[id];
    if (!record) return undefined;
    const coverId = record.covered_by;
    const cover = coverId === undefined ? undefined : this.records[coverId];
    if (coverId === undefined || cover) this.letGo(record, record.usd); // a draw whose headroom is gone holds nothing any more
    const stillOpen = coverId !== undefined && coverOpen(coverId);
    this.store.update((s) => {
      delete s.ledger.reservations[id];
      if (coverId === undefined || !cover) return;
      const h = s.ledger.reservations[coverId]!;
      h.usd = roundUsd(h.usd - record.usd);
      h.drawn = roundUsd((h.drawn ?? 0) - record.usd);
      if (!stillOpen && h.usd <= 0) delete s.ledger.reservations[coverId];
    });
    return { record, paths: coverId === undefined ? [reservationPath(id)] : [reservationPath(id), reservationPath(coverId)] };
  }

  /** Headroom that takes no more draws: its unused rest goes back; what calls in flight drew stays held. */
  shrinkToDrawn(id: string): void {
    const room = this.records[id];
    if (!room) return;
    const drawn = room.drawn ?? 0;
    this.letGo(room, roundUsd(room.usd - drawn));
    this.store.update((s) => {
      if (drawn > 0) s.ledger.reservations[id]!.usd = drawn;
      else delete s.ledger.reservations[id];
    });
  }

  /** Forgets every record (recovery charged them); returns their paths. */
  clear(): StatePath[] {
    const paths = Object.keys(this.records).map(reservationPath);
    this.store.update((s) => {
      s.ledger.reservations = {};
    });
    return paths;
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
}

export const reservationPath = (id: string): StatePath => ['ledger', 'reservations', id];

const newId = (now: number) => `${now.toString(36)}-${randomBytes(6).toString('base64url')}`;
