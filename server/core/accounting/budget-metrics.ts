import { Gauge, type Registry } from 'prom-client';
import type { GlobalUsage } from './ledger.js';

/** Today's spend, reservations, room left and the alert flag, read at scrape time. */
export function registerBudgetMetrics(registry: Registry, usage: () => GlobalUsage): void {
  const gauge = (name: string, help: string, read: (u: GlobalUsage) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(usage()));
      },
    });
  gauge('labcoat_spend_usd_today', 'USD the server key spent today (UTC), settled calls only.', (u) => u.spent_usd_today);
  gauge('labcoat_reserved_usd', 'USD held for calls in flight (their worst case).', (u) => u.reserved_usd);
  gauge('labcoat_daily_cap_usd', 'The daily spending cap in USD.', (u) => u.cap_usd);
  gauge('labcoat_cap_remaining_usd', 'USD left under today\u2019s cap (cap - spent - reserved).', (u) => u.remaining_usd);
  gauge('labcoat_budget_alert', '1 once today\u2019s spend has crossed cost_control.alert_at_fraction of the cap.', (u) => (u.alert ? 1 : 0));
}
