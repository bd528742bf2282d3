import { describe, expect, it } from 'vitest';
import { hashKey, isKeyShaped, newKey, VISIBLE_CHARS } from '../../../../server/features/gateway/key-format.js';

describe('issued key format', () => {
  it('is lc_ and 43 base62 characters, with its hash and a short prefix', () => {
    const k = newKey();
    expect(k.key).toMatch(/^lc_[0-9A-Za-z]{43}$/);
    expect(isKeyShaped(k.key)).toBe(true);
    expect(k.hash).toBe(hashKey(k.key));
    expect(k.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(k.prefix).toBe(k.key.slice(0, VISIBLE_CHARS));
    expect(k.prefix).toHaveLength(11);
  });

  it('spans the whole 256-bit space: all-zero and all-one bytes give distinct, well-formed keys', () => {
    const zero = newKey((n) => Buffer.alloc(n, 0)).key;
    const ones = newKey((n) => Buffer.alloc(n, 0xff)).key;
    expect(zero).toBe(`lc_${'0'.repeat(43)}`);
    expect(isKeyShaped(ones)).toBe(true);
    expect(ones).not.toBe(zero);
  });

  it('rejects other shapes', () => {
    for (const s of ['lc_short', `sk_${'a'.repeat(43)}`, `lc_${'a'.repeat(42)}-`, `lc_${'a'.repeat(44)}`, '']) expect(isKeyShaped(s)).toBe(false);
  });
});
