import { describe, expect, it } from 'vitest';
import { ownEntry } from '../../../../server/core/store/own-entry.js';

describe('ownEntry', () => {
  it('returns a record’s own value', () => {
    expect(ownEntry({ a: 1, b: 0 }, 'a')).toBe(1);
    expect(ownEntry({ a: 1, b: 0 }, 'b')).toBe(0);
  });

  it('returns undefined for a missing key', () => {
    expect(ownEntry({ a: 1 }, 'z')).toBeUndefined();
  });

  it('never finds Object’s prototype through keys like constructor or __proto__', () => {
    const record: Record<string, number> = { a: 1 };
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(ownEntry(record, key)).toBeUndefined();
    }
  });

  it('finds such keys when the record really holds them', () => {
    const record = Object.assign(Object.create(null) as Record<string, string>, { constructor: 'own' });
    Object.defineProperty(record, '__proto__', { value: 'proto-own', enumerable: true });
    expect(ownEntry(record, 'constructor')).toBe('own');
    expect(ownEntry(record, '__proto__')).toBe('proto-own');
  });
});
