/**
 * The gateway's usage record, per UTC day, issued key and model: requests, tokens, USD and
 * errors. It is what the owner bills from (admin API, JSON and CSV) and what GET /v1/usage shows.
 */
import type { Clock } from '../../core/clock.js';
import { roundUsd } from '../../core/accounting/pricing.js';
import { utcDay } from '../../core/accounting/utc-day.js';
import { toCsv } from '../../http/csv.js';
import { recordPath, type StatePath, type Store } from '../../core/store/store.js';
import type { ReservationRecord } from '../../core/accounting/ledger-state.js';

export interface UsageLine {
  requests: number;
  tokens_in: number;
  tokens_out: number;
  usd: number;
  errors: number;
}

/** day → key id → model → line */
export type GatewayUsage = Record<string, Record<string, Record<string, UsageLine>>>;

export interface UsageRow extends UsageLine {
  day: string;
  key_id: string;
  model: string;
}

/** A usage row as billed: with the key's name and prefix (null for a key no longer listed). */
export interface NamedUsageRow extends UsageRow {
  key_name: string | null;
  key_prefix: string | null;
}

export const USAGE_CSV_COLUMNS = ['day', 'key_id', 'key_name', 'key_prefix', 'model', 'requests', 'tokens_in', 'tokens_out', 'usd', 'errors'] as const;

const KEEP_DAYS = 400;

export class GatewayUsageBook {
  constructor(private readonly opts: { store: Store<{ gateway_usage: GatewayUsage }>; clock: Clock }) {}

  /** Resolves once the line is on disk (with the call's settlement, journaled before it). */
  record(key: string, model: string, outcome: { tokens_in: number; tokens_out: number; usd: number; error: boolean }): Promise<void> {
    const day = utcDay(this.opts.clock.now());
    const path = recordPath(this.opts.store.data, ['gateway_usage', day, key, model]);
    this.opts.store.update((s) => {
      const line = (((s.gateway_usage[day] ??= {})[key] ??= {})[model] ??= emptyUsage());
      addUsage(line, {
        requests: 1,
        tokens_in: outcome.tokens_in,
        tokens_out: outcome.tokens_out,
        usd: Number.isFinite(outcome.usd) ? outcome.usd : 0,
        errors: outcome.error ? 1 : 0,
      });
    });
    void this.opts.store.persist([path]);
    return this.opts.store.durable(); // this line and every one before it; never rejects (the store logs a failing disk)
  }

  /** `value` once every change journaled so far is on disk. */
  async durably<T>(value: T): Promise<T> {
    await this.opts.store.durable();
    return value;
  }

  /**
   * Reservations a crash cut off, charged at start-up (ledger.recover): an issued key's are billed
   * too, on their day, as failed requests (headroom as USD only), so billing matches what the key was charged.
   */
  chargeRecovered(charged: readonly ReservationRecord[]): void {
    const keyed = charged.filter((r) => r.key !== null);
    if (keyed.length === 0) return;
    const paths: StatePath[] = [];
    this.opts.store.update((s) => {
      for (const r of keyed) {
        paths.push(recordPath(s, ['gateway_usage', r.day, r.key!, r.model]));
        const line = (((s.gateway_usage[r.day] ??= {})[r.key!] ??= {})[r.model] ??= emptyUsage());
        const calls = r.headroom ? 0 : 1;
        addUsage(line, { requests: calls, tokens_in: 0, tokens_out: 0, usd: r.usd, errors: calls });
      }
    });
    void this.opts.store.persist(paths);
  }

  /** Rows in [from, to] (UTC days, inclusive), optionally for one key, oldest first. */
  rows(filter: { from?: string | undefined; to?: string | undefined; key?: string | undefined } = {}): UsageRow[] {
    const out: UsageRow[] = [];
    for (const [day, keys] of Object.entries(this.opts.store.data.gateway_usage).sort(([a], [b]) => a.localeCompare(b))) {
      if ((filter.from && day < filter.from) || (filter.to && day > filter.to)) continue;
      for (const [key_id, models] of Object.entries(keys)) {
        if (filter.key && key_id !== filter.key) continue;
        for (const [model, line] of Object.entries(models)) out.push({ day, key_id, model, ...line });
      }
    }
    return out;
  }

  /** rows(), each with its key's name and prefix (the admin API and npm run keys bill from these). */
  namedRows(keys: ReadonlyArray<{ id: string; name: string; prefix: string }>, filter: Parameters<GatewayUsageBook['rows']>[0] = {}): NamedUsageRow[] {
    const byId = new Map(keys.map((k) => [k.id, k]));
    return this.rows(filter).map((r) => ({ ...r, key_name: byId.get(r.key_id)?.name ?? null, key_prefix: byId.get(r.key_id)?.prefix ?? null }));
  }

  /** A key's usage today and this UTC month, per model. */
  summary(key: string): { today: Record<string, UsageLine>; month: Record<string, UsageLine>; day: string; month_start: string } {
    const day = utcDay(this.opts.clock.now());
    const monthStart = `${day.slice(0, 7)}-01`;
    const sum = (rows: UsageRow[]) => {
      const by: Record<string, UsageLine> = {};
      for (const r of rows) addUsage((by[r.model] ??= emptyUsage()), r);
      return by;
    };
    return { day, month_start: monthStart, today: sum(this.rows({ from: day, to: day, key })), month: sum(this.rows({ from: monthStart, to: day, key })) };
  }

  prune(): void {
    const oldest = utcDay(this.opts.clock.now() - KEEP_DAYS * 86_400_000);
    const stale = Object.keys(this.opts.store.data.gateway_usage).filter((d) => d < oldest);
    if (stale.length > 0)
      this.opts.store.update((s) => {
        for (const d of stale) delete s.gateway_usage[d];
      });
  }
}

export function usageCsv(rows: readonly NamedUsageRow[]): string {
  return toCsv(
    USAGE_CSV_COLUMNS,
    rows.map((r) => USAGE_CSV_COLUMNS.map((c) => r[c])),
  );
}

export function emptyUsage(): UsageLine {
  return { requests: 0, tokens_in: 0, tokens_out: 0, usd: 0, errors: 0 };
}

/** Adds `more` into `into` (USD rounded as the ledger rounds). */
export function addUsage(into: UsageLine, more: UsageLine): UsageLine {
  into.requests += more.requests;
  into.tokens_in += more.tokens_in;
  into.tokens_out += more.tokens_out;
  into.usd = roundUsd(into.usd + more.usd);
  into.errors += more.errors;
  return into;
}
