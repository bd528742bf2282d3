/**
 * The headroom pool: for each booking (day, model, session, issued key) at most one open
 * headroom record (headroom.ts says how much), which the booking's next calls draw on without a
 * journal line of their own. A timer gives back what goes idle; a past day's goes at once.
 */
import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';
import { HEADROOM_IDLE_MS, headroomFor } from './headroom.js';
import { reservationPath, type Booking, type Holdings } from './holdings.js';
import type { LedgerSlice } from './ledger-state.js';
import { utcDay } from './utc-day.js';

/** Headroom held for one booking: its reservation record, when it was last drawn on, and its journal write. */
interface OpenHeadroom {
  id: string;
  usedAt: number;
  written: Promise<void>;
}

export interface HeadroomPoolOptions {
  store: Store<LedgerSlice>;
  holdings: Holdings;
  clock: Clock;
  capUsd: number;
  /** Called after headroom goes back to the cap. */
  onChange?: () => void;
}

/** A call drawn on headroom: covered by the line its headroom was journaled with. */
export interface Drawn {
  id: string;
  written: Promise<void>;
}

export class HeadroomPool {
  /** By booking and day (bookingKey). */
  private readonly open = new Map<string, OpenHeadroom>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly opts: HeadroomPoolOptions) {}

  get size(): number {
    return this.open.size;
  }

  /** Whether the headroom record `id` still takes draws. */
  isOpen(id: string): boolean {
    for (const o of this.open.values()) if (o.id === id) return true;
    return false;
  }

  /**
   * A call covered by this booking's headroom: nothing new is held and nothing is journaled (the
   * headroom's line on disk already covers it); the headroom counts it as drawn until it settles.
   * `keyFits(0)` false (the key's limits were lowered since it opened) closes it instead.
   */
  draw(day: string, booking: Booking, amount: number, keyFits: ((usd: number) => boolean) | undefined, now: number): Drawn | undefined {
    const key = bookingKey(day, booking);
    const open = this.open.get(key);
    if (!open) return undefined;
    const room = this.opts.holdings.records[open.id];
    if (!room || room.usd - (room.drawn ?? 0) < amount || (keyFits && !keyFits(0))) {
      this.close(key, open.id);
      return undefined;
    }
    open.usedAt = now;
    return { id: this.opts.holdings.draw(open.id, booking, amount, day, now), written: open.written };
  }

  /**
   * Holds headroom beside a new reservation of `amount` when the rules and `fits` (the cap's and
   * the key's room for it) allow; returns its record id, to journal with the reservation and then track().
   */
  hold(day: string, booking: Booking, amount: number, fits: (usd: number) => boolean, now: number): string | undefined {
    // Programs on issued keys make many like calls in a row (the gateway's latency budget); page visitors do not.
    if (booking.key === null) return undefined;
    let usd = 0;
    for (const open of this.open.values()) usd += this.opts.holdings.records[open.id]?.usd ?? 0;
    const extra = headroomFor(amount, this.opts.capUsd, { usd, count: this.open.size });
    if (extra === 0 || !fits(extra)) return undefined;
    this.close(bookingKey(day, booking)); // an exhausted one for this booking, if any
    return this.opts.holdings.hold(day, booking, extra, now, true);
  }

  /** Opens held headroom for draws once its line is under way; a line that fails covers nothing, so it goes back at once. */
  track(day: string, booking: Booking, id: string, written: Promise<void>, now: number): void {
    const key = bookingKey(day, booking);
    this.open.set(key, { id, usedAt: now, written });
    this.sweepLater();
    written.catch(() => this.close(key, id));
  }

  /** Headroom idle for a while, or from a past day, goes back to the cap. */
  sweep(now: number, day: string): void {
    for (const [key, open] of this.open) {
      if (now - open.usedAt > HEADROOM_IDLE_MS || this.opts.holdings.records[open.id]?.day !== day) this.close(key, open.id);
    }
  }

  /** Closes an issued key's headroom; whether there was any. */
  closeForKey(keyId: string): boolean {
    let closed = false;
    for (const [key, open] of this.open) {
      if (this.opts.holdings.records[open.id]?.key !== keyId) continue;
      this.close(key, open.id);
      closed = true;
    }
    return closed;
  }

  /** Gives every booking's headroom back to the cap. */
  closeAll(): void {
    for (const key of [...this.open.keys()]) this.close(key);
  }

  /** Stops the idle timer (shutdown). */
  stop(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** No more draws: the unused room goes back to the cap; what calls in flight drew stays held until they settle. */
  private close(key: string, id?: string): void {
    const open = this.open.get(key);
    if (!open || (id !== undefined && open.id !== id)) return;
    this.open.delete(key);
    if (!this.opts.holdings.records[open.id]) return;
    this.opts.holdings.shrinkToDrawn(open.id);
    void this.opts.store.persist([reservationPath(open.id)]);
    this.opts.onChange?.();
  }

  /** While any headroom is open, a timer gives back what goes idle even when no call comes to notice. */
  private sweepLater(): void {
    this.sweeper ??= setInterval(() => {
      const now = this.opts.clock.now();
      this.sweep(now, utcDay(now));
      if (this.open.size === 0) this.stop();
    }, HEADROOM_IDLE_MS);
    this.sweeper.unref();
  }
}

function bookingKey(day: string, b: Booking): string {
  return `${day}\n${b.model}\n${b.session ?? ''}\n${b.key ?? ''}`;
}
