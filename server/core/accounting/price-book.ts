import type { Price } from './pricing.js';

/**
 * Where every price comes from: the catalog first, then the owner's assumed price for a model
 * the catalog does not price (config cost_control.assumed_prices, USD per 1M tokens).
 */
export function priceBook(catalogPrice: (model: string) => Price | null, assumedPerMillion: Record<string, { input: number; output: number }>) {
  const assumed = new Map(Object.entries(assumedPerMillion).map(([id, p]) => [id, { input: p.input / 1e6, output: p.output / 1e6 }]));
  return (model: string): Price | null => catalogPrice(model) ?? assumed.get(model) ?? null;
}
