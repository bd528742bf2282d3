import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { registerBudgetMetrics } from '../../../../server/core/accounting/budget-metrics.js';
import type { GlobalUsage } from '../../../../server/core/accounting/ledger.js';

const usage = (over: Partial<GlobalUsage> = {}): GlobalUsage => ({
  day: '2026-01-15',
  spent_usd_today: 1.25,
  reserved_usd: 0.5,
  cap_usd: 5,
  remaining_usd: 3.25,
  resets_at: '2026-01-16T00:00:00.000Z',
  alert: false,
  alert_at_fraction: 0.8,
  ...over,
});

async function scrape(registry: Registry) {
  const metrics = await registry.getMetricsAsJSON();
  return Object.fromEntries(metrics.map((m) => [m.name, m.values[0]?.value]));
}

describe('registerBudgetMetrics', () => {
  it('exposes today’s spend, reservations, cap, room left and the alert flag', async () => {
    const registry = new Registry();
    registerBudgetMetrics(registry, () => usage());
    expect(await scrape(registry)).toEqual({
      labcoat_spend_usd_today: 1.25,
      labcoat_reserved_usd: 0.5,
      labcoat_daily_cap_usd: 5,
      labcoat_cap_remaining_usd: 3.25,
      labcoat_budget_alert: 0,
    });
  });

  it('reads the usage at scrape time', async () => {
    const registry = new Registry();
    let current = usage();
    let reads = 0;
    registerBudgetMetrics(registry, () => (reads++, current));
    await scrape(registry);
    current = usage({ spent_usd_today: 4.5, remaining_usd: 0, alert: true });
    const after = await scrape(registry);
    expect(after.labcoat_spend_usd_today).toBe(4.5);
    expect(after.labcoat_cap_remaining_usd).toBe(0);
    expect(after.labcoat_budget_alert).toBe(1);
    expect(reads).toBe(10); // five gauges, two scrapes
  });

  it('writes the Prometheus text with help lines', async () => {
    const registry = new Registry();
    registerBudgetMetrics(registry, () => usage({ alert: true }));
    const text = await registry.metrics();
    expect(text).toContain('# TYPE labcoat_budget_alert gauge');
    expect(text).toContain('labcoat_budget_alert 1');
    expect(text).toContain('# HELP labcoat_daily_cap_usd The daily spending cap in USD.');
  });
});
