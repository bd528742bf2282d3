import { describe, expect, it } from 'vitest';
import { costUsd, isFree, maxCostUsd, maxPromptTokens, parsePrice, perMillion, TOKENS_PER_MESSAGE } from '../../../../server/core/accounting/pricing.js';

describe('pricing', () => {
  it('parses per-token price strings and keeps unknown prices unknown', () => {
    expect(parsePrice('0.0000001', '0.0000004')).toEqual({ input: 1e-7, output: 4e-7 });
    expect(parsePrice('0', '0')).toEqual({ input: 0, output: 0 });
    expect(parsePrice(undefined, '0')).toBeNull();
    expect(parsePrice('-1', '0')).toBeNull();
    expect(parsePrice('abc', '0')).toBeNull();
  });

  it('bounds reasoning tokens at their own price when dearer, and keeps a per-call fee', () => {
    const p = parsePrice('0.000001', '0.000002', { request: '0.005', internal_reasoning: '0.000003' })!;
    expect(p).toEqual({ input: 1e-6, output: 3e-6, request: 0.005 });
    expect(costUsd(p, 1000, 1000)).toBe(0.009);
    expect(isFree({ input: 0, output: 0, request: 0.001 })).toBe(false);
    expect(parsePrice('0', '0', { request: 'x' })).toBeNull();
  });

  it('says free only for a known zero price', () => {
    expect(isFree({ input: 0, output: 0 })).toBe(true);
    expect(isFree({ input: 0, output: 1e-7 })).toBe(false);
    expect(isFree(null)).toBe(false);
  });

  it('computes costs and per-million prices without float noise, null when unknown', () => {
    expect(costUsd({ input: 1e-7, output: 4e-7 }, 1000, 500)).toBe(0.0003);
    expect(costUsd(null, 1000, 500)).toBeNull();
    expect(perMillion({ input: 1e-7, output: 4e-7 })).toEqual({ input: 0.1, output: 0.4 });
  });

  it('bounds prompt tokens from above by UTF-8 bytes plus a per-message allowance', () => {
    const messages = [{ content: 'héllo' }, { content: '日本' }];
    expect(maxPromptTokens(messages)).toBe(6 + 6 + TOKENS_PER_MESSAGE * 3);
  });

  it('the worst-case cost covers the prompt bound and every allowed completion token', () => {
    const price = { input: 1e-6, output: 2e-6 };
    const messages = [{ content: 'x'.repeat(100) }];
    expect(maxCostUsd(price, messages, 1000)).toBe(costUsd(price, 100 + 2 * TOKENS_PER_MESSAGE, 1000));
  });
});
