import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AppStore, openAppStore } from '../../../../server/app-state.js';
import { LiteratureError } from '../../../../server/core/literature/errors.js';
import { dedupe, Library, normaliseQuery, titleKey } from '../../../../server/core/literature/library.js';
import type { LiteratureRecord, LiteratureSource, SearchRequest, SourceName } from '../../../../server/core/literature/record.js';
import { createLogger } from '../../../../server/core/log/logger.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';

const rec = (source: SourceName, title: string, ids: LiteratureRecord['ids'] = {}, extra: Partial<LiteratureRecord> = {}): LiteratureRecord => ({
  id: ids.doi ? `doi:${ids.doi}` : `t:${title}`,
  source,
  title,
  authors: [],
  year: null,
  venue: null,
  ids,
  url: null,
  abstract: null,
  ...extra,
});

/** An in-memory source: answers `records`, or throws `error`; counts what it was asked. */
function source(name: SourceName, records: LiteratureRecord[], error?: Error): LiteratureSource & { asked: SearchRequest[] } {
  const asked: SearchRequest[] = [];
  return {
    name,
    asked,
    async search(req) {
      asked.push(req);
      if (error) throw error;
      return records;
    },
  };
}

let dir: TempDir;
let store: AppStore;
let clock: FakeClock;
beforeEach(async () => {
  dir = await makeTempDir('labcoat-library-');
  clock = new FakeClock();
  store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 20, clock, logger: createLogger('silent') });
});
afterEach(async () => {
  await store.close();
  await dir.cleanup();
});

const library = (sources: LiteratureSource[], opts: { maxEntries?: number } = {}) =>
  new Library({ sources, store, clock, ttlMs: 3600_000, maxEntries: opts.maxEntries ?? 100, perSource: 5, abstractBytes: 10 });

describe('the literature library', () => {
  it('asks every source, merges the same work found twice, and cuts abstracts to the byte budget', async () => {
    const a = source('openalex', [rec('openalex', 'Gut microbes and sleep', { doi: '10.1/a' }, { abstract: 'A'.repeat(50) }), rec('openalex', 'Only here')]);
    const b = source('europepmc', [rec('europepmc', 'Gut Microbes and Sleep.', { doi: '10.1/a', pmid: '42' }, { year: 2020 }), rec('europepmc', 'Other')]);
    const found = await library([a, b]).search('  Gut   Microbes ');
    expect(a.asked[0]).toMatchObject({ query: 'gut microbes', limit: 5 });
    expect(found.lookups).toBe(2);
    expect(found.failures).toEqual([]);
    expect(found.records.map((r) => r.title)).toEqual(['Gut microbes and sleep', 'Only here', 'Other']);
    expect(found.records[0]).toMatchObject({ source: 'openalex', year: 2020, ids: { doi: '10.1/a', pmid: '42' }, abstract: 'A'.repeat(10) });
  });

  it('goes on without a failing source and says which one failed and why', async () => {
    const ok = source('openalex', [rec('openalex', 'Found')]);
    const down = source('arxiv', [], new LiteratureError('arxiv', 'rate_limited', 'arXiv asked us to wait', 30));
    const odd = source('crossref', [], new Error('boom'));
    const found = await library([ok, down, odd]).search('q');
    expect(found.records.map((r) => r.title)).toEqual(['Found']);
    expect(found.failures).toEqual([
      { source: 'arxiv', failure: 'rate_limited', message: 'arXiv asked us to wait' },
      { source: 'crossref', failure: 'malformed', message: expect.stringContaining('could not read') },
    ]);
  });

  it('answers a repeated query from the store until its TTL, caching only sources that answered', async () => {
    const ok = source('openalex', [rec('openalex', 'Found')]);
    const down = source('arxiv', [], new LiteratureError('arxiv', 'unavailable', 'down'));
    const lib = library([ok, down]);
    await lib.search('Sleep');
    const again = await lib.search('sleep ');
    expect(again.lookups).toBe(1); // arXiv is asked again; OpenAlex comes from the cache
    expect(ok.asked).toHaveLength(1);
    expect(down.asked).toHaveLength(2);
    expect(Object.keys(store.data.literature_cache)).toEqual(['openalex:sleep']);
    clock.advance(3600_001);
    lib.prune();
    expect(store.data.literature_cache).toEqual({});
    await lib.search('sleep');
    expect(ok.asked).toHaveLength(2);
  });

  it('keeps at most maxEntries cached answers, dropping the oldest', async () => {
    const lib = library([source('openalex', [])], { maxEntries: 2 });
    for (const q of ['one', 'two', 'three']) {
      await lib.search(q);
      clock.advance(1000);
    }
    expect(Object.keys(store.data.literature_cache).sort()).toEqual(['openalex:three', 'openalex:two']);
  });
});

describe('what counts as the same work', () => {
  it('shares a DOI, a PMID or an arXiv id, or the same title letters', () => {
    const merged = dedupe([
      rec('arxiv', 'Attention Is All You Need', { arxiv: '1706.03762' }),
      rec('openalex', 'Attention is all you need!', { doi: '10.5555/3295222' }),
      rec('crossref', 'A different title', { doi: '10.5555/3295222' }, { venue: 'NeurIPS' }),
      rec('europepmc', 'Unrelated', { pmid: '1' }),
      rec('europepmc', 'Unrelated too', { pmid: '1' }),
    ]);
    expect(merged).toHaveLength(2);
    expect(merged[0]).toMatchObject({ source: 'arxiv', venue: 'NeurIPS', ids: { arxiv: '1706.03762', doi: '10.5555/3295222' } });
    expect(titleKey('Gut–brain axis: a review.')).toBe('gutbrainaxisareview');
    expect(normaliseQuery('  A  B ')).toBe('a b');
  });
});
