import { describe, expect, it } from 'vitest';
import { assembleDocument, type DocumentHeader, type Slice } from '../../../../server/core/store/slice.js';

interface Doc extends DocumentHeader {
  notes: Record<string, string>;
  tags: string[];
}

const notes: Slice<{ notes: Record<string, string> }> = { empty: () => ({ notes: {} }) };
const tags: Slice<{ tags: string[] }> = { empty: () => ({ tags: [] }) };

describe('assembleDocument', () => {
  it('builds the empty document from the header and every slice', () => {
    const doc = assembleDocument<Doc>(1, [notes, tags]);
    const now = new Date('2026-01-15T12:00:00Z');
    const empty = doc.empty(now);
    expect(empty).toEqual({ schema_version: 1, created_at: '2026-01-15T12:00:00.000Z', notes: {}, tags: [] });
    expect(doc.version).toBe(1);
    expect(doc.migrations).toEqual([]);
  });

  it('gives each call a fresh empty value (slices do not share objects between documents)', () => {
    const doc = assembleDocument<Doc>(1, [notes, tags]);
    const a = doc.empty(new Date(0));
    const b = doc.empty(new Date(0));
    a.notes.x = 'y';
    a.tags.push('t');
    expect(b.notes).toEqual({});
    expect(b.tags).toEqual([]);
  });

  it('runs the migrations of several slices to the same version as one step, in slice order', () => {
    const calls: string[] = [];
    const a: Slice<object> = {
      empty: () => ({}),
      migrations: [
        { to: 2, up: (s) => (calls.push('a2'), { ...s, a: 2 }) },
        { to: 3, up: (s) => (calls.push('a3'), { ...s, a: 3 }) },
      ],
    };
    const b: Slice<object> = {
      empty: () => ({}),
      migrations: [{ to: 2, up: (s) => (calls.push(`b2 sees a=${String(s.a)}`), { ...s, b: 2 }) }],
    };
    const doc = assembleDocument(3, [a, b]);
    expect(doc.migrations.map((m) => m.to)).toEqual([2, 3]);
    const step2 = doc.migrations[0]!.up({ schema_version: 1 });
    expect(step2).toEqual({ schema_version: 1, a: 2, b: 2 });
    expect(calls).toEqual(['a2', 'b2 sees a=2']);
    expect(doc.migrations[1]!.up(step2)).toEqual({ schema_version: 1, a: 3, b: 2 });
  });

  it('sorts the steps by version whatever order the slices list them in', () => {
    const late: Slice<object> = { empty: () => ({}), migrations: [{ to: 5, up: (s) => s }] };
    const early: Slice<object> = {
      empty: () => ({}),
      migrations: [
        { to: 4, up: (s) => s },
        { to: 2, up: (s) => s },
      ],
    };
    expect(assembleDocument(5, [late, early]).migrations.map((m) => m.to)).toEqual([2, 4, 5]);
  });

  it('throws when the declared version is not the newest migration', () => {
    const s: Slice<object> = { empty: () => ({}), migrations: [{ to: 3, up: (x) => x }] };
    expect(() => assembleDocument(4, [s])).toThrow(/schema version 4 but the newest migration goes to 3/);
    expect(() => assembleDocument(2, [s])).toThrow(/schema version 2 but the newest migration goes to 3/);
    // No migrations at all: the document is at version 1.
    expect(() => assembleDocument(2, [notes])).toThrow(/newest migration goes to 1/);
  });
});
