import { describe, expect, it } from 'vitest';
import { priceBook } from '../../../../server/core/accounting/price-book.js';
import type { Price } from '../../../../server/core/accounting/pricing.js';

const catalog: Record<string, Price> = { 'openai/gpt-4o-mini': { input: 0.15e-6, output: 0.6e-6 }, 'free/model': { input: 0, output: 0 } };
const catalogPrice = (model: string) => (Object.hasOwn(catalog, model) ? catalog[model]! : null);

describe('priceBook', () => {
  it('takes the catalog’s price first, even when the owner assumed another', () => {
    const price = priceBook(catalogPrice, { 'openai/gpt-4o-mini': { input: 100, output: 100 } });
    expect(price('openai/gpt-4o-mini')).toEqual({ input: 0.15e-6, output: 0.6e-6 });
  });

  it('keeps a free catalog price (zero is a price, not a gap)', () => {
    expect(priceBook(catalogPrice, { 'free/model': { input: 5, output: 5 } })('free/model')).toEqual({ input: 0, output: 0 });
  });

  it('falls back to the assumed price, converted from per million tokens to per token', () => {
    const price = priceBook(catalogPrice, { 'local/llama': { input: 2, output: 6 } });
    const p = price('local/llama')!;
    expect(p.input).toBeCloseTo(2e-6, 15);
    expect(p.output).toBeCloseTo(6e-6, 15);
  });

  it('returns null for a model priced nowhere', () => {
    expect(priceBook(catalogPrice, {})('unknown/model')).toBeNull();
  });

  it('reads the catalog on every call (a refreshed catalog is seen)', () => {
    let live: Price | null = null;
    const price = priceBook(() => live, { m: { input: 1, output: 1 } });
    expect(price('m')).toEqual({ input: 1e-6, output: 1e-6 });
    live = { input: 3, output: 4 };
    expect(price('m')).toEqual({ input: 3, output: 4 });
  });

  it('does not find assumed prices through Object’s prototype', () => {
    expect(priceBook(catalogPrice, {})('constructor')).toBeNull();
  });
});
