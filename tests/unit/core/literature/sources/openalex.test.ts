import { literatureFailure } from '../../../../helpers/fake-literature/failure.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PoliteGet } from '../../../../../server/core/literature/polite-get.js';
import { openAlexSource, rebuildAbstract } from '../../../../../server/core/literature/sources/openalex.js';
import { type FakeOpenAlex, fakeOpenAlex, OPENALEX_ABSTRACTS } from '../../../../helpers/fake-literature/openalex.js';
import { plainGet } from '../../../../helpers/plain-get.js';

let fake: FakeOpenAlex;
beforeAll(async () => {
  fake = await fakeOpenAlex();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.switches.mode = 'ok';
  fake.switches.noAbstracts = false;
});

const source = (mailto?: string) => openAlexSource({ get: plainGet, baseUrl: fake.url, ...(mailto ? { mailto } : {}) });

const failure = literatureFailure;

describe('the OpenAlex source', () => {
  it('maps a work to a record: title, authors, year, venue, ids, url and abstract', async () => {
    const records = await source().search({ query: 'open access prevalence', limit: 10 });
    expect(records).toEqual([
      {
        id: 'doi:10.7717/peerj.4375',
        source: 'openalex',
        title: 'The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles',
        authors: [
          'Heather Piwowar',
          'Jason Priem',
          'Vincent Larivière',
          'Juan Pablo Alperin',
          'Lisa Matthias',
          'Bree Norlander',
          'Ashley Farley',
          'Jevin D. West',
          'Stefanie Haustein',
        ],
        year: 2018,
        venue: 'PeerJ',
        ids: { doi: '10.7717/peerj.4375', pmid: '29456894', pmcid: 'PMC5815332', openalex: 'W2741809807' },
        url: 'https://doi.org/10.7717/peerj.4375',
        abstract: OPENALEX_ABSTRACTS.oa,
      },
    ]);
    expect(fake.requests).toEqual(['/works?search=open+access+prevalence&per-page=10']);
  });

  it('rebuilds the abstract in word order, repeated words at each of their positions', () => {
    expect(rebuildAbstract({ world: [1], again: [3], hello: [0, 2] })).toBe('hello world hello again');
    expect(rebuildAbstract({ b: [5], a: [1] })).toBe('a b');
    expect(rebuildAbstract({})).toBeNull();
    expect(rebuildAbstract(null)).toBeNull();
    expect(OPENALEX_ABSTRACTS.oa.split(' ').filter((w) => w === 'access').length).toBeGreaterThan(1);
  });

  it('gives a work without a DOI its OpenAlex id and page, keeps the first 20 authors, and skips works without a title', async () => {
    const records = await source().search({ query: 'CRISPR off-target survey', limit: 10 });
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record).toMatchObject({
      id: 'openalex:W3100000001',
      ids: { openalex: 'W3100000001' },
      url: 'https://openalex.org/W3100000001',
      venue: null,
      year: 2021,
    });
    expect(record!.authors).toEqual(Array.from({ length: 20 }, (_, i) => `Author ${i + 1}`));
    expect(record!.abstract).toBe(OPENALEX_ABSTRACTS.crispr);
    expect(fake.corpus.some((w) => w.display_name === null)).toBe(true);
  });

  it('gives null for a work without an abstract, and for every work when the abstracts are left out', async () => {
    const [alphafold] = await source().search({ query: 'AlphaFold protein structure', limit: 5 });
    expect(alphafold).toMatchObject({ title: 'Highly accurate protein structure prediction with AlphaFold', venue: 'Nature', abstract: null });
    fake.switches.noAbstracts = true;
    const records = await source().search({ query: 'open access', limit: 5 });
    expect(records.length).toBeGreaterThan(0);
    expect(records.map((r) => r.abstract)).toEqual(records.map(() => null));
  });

  it('answers [] when nothing matches, and asks at most 200 per page', async () => {
    fake.switches.mode = 'empty';
    expect(await source().search({ query: 'open access', limit: 500 })).toEqual([]);
    expect(new URL(fake.requests[0]!, fake.url).searchParams.get('per-page')).toBe('200');
  });

  it('keeps to the limit it was given', async () => {
    const records = await source().search({ query: 'open access CRISPR AlphaFold', limit: 2 });
    expect(records).toHaveLength(2);
    expect(new URL(fake.requests[0]!, fake.url).searchParams.get('per-page')).toBe('2');
  });

  it('sends the query and the polite-pool mailto URL-encoded', async () => {
    await source('lab+owner@example.org').search({ query: 'CRISPR & Cas9 off-target?', limit: 5 });
    const [path] = fake.requests;
    expect(path).toBe('/works?search=CRISPR+%26+Cas9+off-target%3F&per-page=5&mailto=lab%2Bowner%40example.org');
    const params = new URL(path!, fake.url).searchParams;
    expect(params.get('search')).toBe('CRISPR & Cas9 off-target?');
    expect(params.get('mailto')).toBe('lab+owner@example.org');
  });

  it('calls a cut-off JSON body, or JSON of another shape, malformed', async () => {
    fake.switches.mode = 'malformed';
    expect(await failure(source().search({ query: 'open access', limit: 5 }))).toMatchObject({ source: 'openalex', failure: 'malformed' });
    fake.switches.mode = 'wrong_shape';
    expect(await failure(source().search({ query: 'open access', limit: 5 }))).toMatchObject({ source: 'openalex', failure: 'malformed' });
    fake.switches.mode = 'malformed';
    expect(await failure(source().lookup!({ doi: '10.7717/peerj.4375' }))).toMatchObject({ failure: 'malformed' });
  });

  it('calls a 503 HTML error page unavailable, and an HTML page served as 200 malformed', async () => {
    fake.switches.mode = 'html';
    const err = await failure(source().search({ query: 'open access', limit: 5 }));
    expect(err).toMatchObject({ source: 'openalex', failure: 'unavailable' });
    expect(err.message).toContain('503');
    expect(await failure(source().lookup!({ doi: '10.7717/peerj.4375' }))).toMatchObject({ failure: 'unavailable' });
    const htmlOk: PoliteGet = async () => ({ status: 200, contentType: 'text/html', text: '<!DOCTYPE html><html><body>Welcome</body></html>' });
    const err2 = await failure(openAlexSource({ get: htmlOk, baseUrl: fake.url }).search({ query: 'x', limit: 1 }));
    expect(err2).toMatchObject({ failure: 'malformed' });
    expect(err2.message).toContain('HTML');
  });

  it('looks a work up by DOI (any spelling of it), by PMID or OpenAlex id, and gives null for one it does not know', async () => {
    const src = source('owner@example.org');
    const byDoi = await src.lookup!({ doi: 'https://doi.org/10.7717/PEERJ.4375' });
    expect(byDoi).toMatchObject({ id: 'doi:10.7717/peerj.4375', title: expect.stringContaining('The state of OA'), abstract: OPENALEX_ABSTRACTS.oa });
    expect(fake.requests[0]).toBe('/works/doi:10.7717/peerj.4375?mailto=owner%40example.org');
    expect(await src.lookup!({ pmid: '29456894' })).toMatchObject({ id: 'doi:10.7717/peerj.4375' });
    expect(await src.lookup!({ openalex: 'W3100000001' })).toMatchObject({ id: 'openalex:W3100000001' });
    expect(await src.lookup!({ doi: '10.9999/unknown' })).toBeNull();
    expect(fake.requests.at(-1)).toBe('/works/doi:10.9999/unknown?mailto=owner%40example.org');
  });

  it('asks nothing for ids OpenAlex cannot resolve', async () => {
    expect(await source().lookup!({ arxiv: '2301.01234' })).toBeNull();
    expect(await source().lookup!({ doi: 'not-a-doi' })).toBeNull();
    expect(fake.requests).toEqual([]);
  });

  it('escapes what a DOI has besides its slash', async () => {
    expect(await source().lookup!({ doi: '10.1002/abc;2-d#x?y' })).toBeNull();
    expect(fake.requests[0]).toBe('/works/doi:10.1002/abc%3B2-d%23x%3Fy');
  });
});
