import { describe, expect, it } from 'vitest';
import { literatureMethods, methodsText, shownReferences } from '../../../../server/features/research/methods.js';
import { cycle, makeRun } from './harness.js';

const ref = (status: 'verified' | 'not_found' | 'unverifiable') => ({ citation: status, relevance: '', status, via: null, record: null });

describe('the methods note', () => {
  it('counts every reference shown (reviews, debates, overview) by status, and the lookups of every cycle', () => {
    const run = makeRun({
      cycles: [
        cycle(0, { lookups: 7, started_at: Date.UTC(2026, 0, 1), finished_at: Date.UTC(2026, 0, 1, 1) }),
        cycle(1, { lookups: 3, started_at: Date.UTC(2026, 0, 2), finished_at: Date.UTC(2026, 0, 2) }),
      ],
      matches: [
        {
          id: 'm',
          cycle: 0,
          a: 'x',
          b: 'y',
          winner: 'x',
          reason: 'r',
          elo_before: { a: 1, b: 1 },
          elo_delta: 1,
          debate: [{ speaker: 'A', text: 't', references: [ref('verified')] }],
        },
      ],
      overview: { cycle: 1, summary: 's', ranked: [], experiments: [], open_questions: [], references: [ref('not_found'), ref('unverifiable')], contacts: [] },
      literature: {
        records: [],
        queries: [{ cycle: 0, query: 'q', found: 0, added: 0 }],
        notices: [{ cycle: 1, source: null, message: 'spent' }],
        sources: ['europepmc'],
      },
    });
    expect(shownReferences(run).map((r) => r.status)).toEqual(['verified', 'not_found', 'unverifiable']);
    const m = literatureMethods(run);
    expect(m).toMatchObject({
      enabled: true,
      sources: ['Europe PMC'],
      searched: { from: '2026-01-01', to: '2026-01-02' },
      lookups: 10,
      references: { verified: 1, not_found: 1, unverifiable: 1 },
      notices: [{ cycle: 1, source: null, message: 'spent' }],
    });
    expect(methodsText(m)).toMatch(/^Searched Europe PMC from 2026-01-01 to 2026-01-02 with 1 query over 1 cycle \(10 requests;/);
  });

  it('says plainly when literature was off', () => {
    const m = literatureMethods(makeRun({ overview: null }));
    expect(m).toMatchObject({ enabled: false, sources: [], records: 0 });
    expect(methodsText(m)).toMatch(/^Literature search was off for this run: nothing was searched, and no reference could be checked\./);
  });
});
