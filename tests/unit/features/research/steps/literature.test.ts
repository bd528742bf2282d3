import { afterEach, describe, expect, it } from 'vitest';
import type { LiteratureRecord } from '../../../../../server/core/literature/record.js';
import type { CycleLiterature } from '../../../../../server/features/research/cycle-literature.js';
import { searchLiterature } from '../../../../../server/features/research/steps/literature.js';
import { type Lab, makeRun, openLab, systemOf, userOf } from '../harness.js';

let lab: Lab;
afterEach(() => lab.close());

const record = (id: string, title: string): LiteratureRecord => ({
  id,
  source: 'openalex',
  title,
  authors: [],
  year: 2021,
  venue: null,
  ids: {},
  url: null,
  abstract: null,
});

/** The sources' side: each query finds two records (one shared by every query); arXiv fails every time. */
function sources() {
  const searched: string[] = [];
  const literature: CycleLiterature = {
    sources: ['openalex', 'arxiv'],
    queriesPerCycle: 2,
    search: async (query) => {
      searched.push(query);
      return {
        records: [record(`openalex:${query}`, `About ${query}`), record('openalex:shared', 'A paper every query finds')],
        notices: [{ source: 'arxiv', message: 'arXiv unavailable this cycle: it answered 503.' }],
      };
    },
    verify: async () => {
      throw new Error('not used');
    },
  };
  return { searched, literature };
}

const empty = { records: [], queries: [], notices: [], sources: ['openalex' as const, 'arxiv' as const] };

describe('searchLiterature', () => {
  it('asks the model for queries, searches each, numbers the new records once, and says once that a source failed', async () => {
    lab = await openLab({ queries: () => ({ kind: 'ok', content: JSON.stringify({ queries: ['gut  microbes', 'gut microbes', 'sleep onset', 'extra'] }) }) });
    lab.put(makeRun({ literature: empty, notes: [{ cycle: 0, text: 'LOOK-AT-KEFIR', at: 0 }] }));
    const { searched, literature } = sources();
    const ctx = { ...lab.context(), literature };
    await searchLiterature(ctx);
    expect(systemOf(lab.asked()[0]!)).toMatch(/plan literature searches/);
    expect(userOf(lab.asked()[0]!)).toContain('LOOK-AT-KEFIR');
    expect(searched).toEqual(['gut microbes', 'sleep onset']); // duplicates merged, at most queriesPerCycle
    const lit = lab.run().literature!;
    expect(lit.records.map((r) => [r.n, r.id, r.cycle])).toEqual([
      [1, 'openalex:gut microbes', 0],
      [2, 'openalex:shared', 0],
      [3, 'openalex:sleep onset', 0],
    ]);
    expect(lit.queries).toEqual([
      { cycle: 0, query: 'gut microbes', found: 2, added: 2 },
      { cycle: 0, query: 'sleep onset', found: 2, added: 1 },
    ]);
    expect(lit.notices).toEqual([{ cycle: 0, source: 'arxiv', message: 'arXiv unavailable this cycle: it answered 503.' }]);
    expect(ctx.emitted.at(-1)).toMatchObject({ kind: 'literature', payload: { queries: ['gut microbes', 'sleep onset'], added: 3, records: 3 } });
  });

  it('on resume, searches the queries it already has without asking the model again', async () => {
    lab = await openLab();
    lab.put(makeRun({ literature: { ...empty, queries: [{ cycle: 0, query: 'kept query', found: 0, added: 0 }] } }));
    const { searched, literature } = sources();
    await searchLiterature({ ...lab.context(), literature });
    expect(lab.asked()).toHaveLength(0);
    expect(searched).toEqual(['kept query']);
    expect(lab.run().literature!.queries).toEqual([{ cycle: 0, query: 'kept query', found: 2, added: 2 }]);
  });

  it('tells a later cycle what was already searched', async () => {
    lab = await openLab();
    lab.put(makeRun({ literature: { ...empty, queries: [{ cycle: 0, query: 'EARLIER-QUERY', found: 1, added: 1 }] } }));
    await searchLiterature({ ...lab.context(1), literature: sources().literature });
    expect(userOf(lab.asked()[0]!)).toMatch(/Already searched \(do not repeat\):\nEARLIER-QUERY/);
  });
});
