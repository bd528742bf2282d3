import { literatureFailure } from '../../../../helpers/fake-literature/failure.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PoliteGet } from '../../../../../server/core/literature/polite-get.js';
import { crossrefSource, jatsToText } from '../../../../../server/core/literature/sources/crossref.js';
import { type FakeCrossref, fakeCrossref } from '../../../../helpers/fake-literature/crossref.js';
import { plainGet } from '../../../../helpers/plain-get.js';

let fake: FakeCrossref;
beforeAll(async () => {
  fake = await fakeCrossref();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.switches.mode = 'ok';
  fake.switches.noAbstracts = false;
});

const source = (mailto?: string) => crossrefSource({ get: plainGet, baseUrl: fake.url, ...(mailto ? { mailto } : {}) });

const failure = literatureFailure;

const STATE_OF_OA = {
  id: 'doi:10.7717/peerj.4375',
  source: 'crossref',
  title: 'The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles',
  authors: ['Heather Piwowar', 'Jason Priem', 'Vincent Larivière', 'The OA Study Consortium'],
  year: 2018,
  venue: 'PeerJ',
  ids: { doi: '10.7717/peerj.4375' },
  url: 'https://doi.org/10.7717/peerj.4375',
  abstract:
    'Despite growing interest in Open Access (OA) to scholarly literature, there is an unmet need for large-scale, up-to-date, and reproducible studies assessing the prevalence and characteristics of OA. We address this need using oaDOI, an open online service & database.',
};

const WILEY_DOI = '10.1002/(SICI)1097-4636(199706)35:4<431::AID-JBM4>3.0.CO;2-D';

describe('the Crossref source', () => {
  it('looks a DOI up and maps every field: title, authors (people and organisations), year, venue, DOI, URL, abstract', async () => {
    expect(await source().lookup!({ doi: 'https://doi.org/10.7717/PeerJ.4375' })).toEqual(STATE_OF_OA);
    expect(fake.requests).toEqual(['/works/10.7717%2Fpeerj.4375']);
  });

  it('sends the DOI as one escaped path segment, with the mailto', async () => {
    const record = await source('lab+owner@example.org').lookup!({ doi: WILEY_DOI });
    expect(record).toEqual({
      id: `doi:${WILEY_DOI.toLowerCase()}`,
      source: 'crossref',
      title: 'Protein adsorption on biomaterial surfaces',
      authors: ['A. Smith', 'Jones'],
      year: 1997,
      venue: 'Journal of Biomedical Materials Research',
      ids: { doi: WILEY_DOI.toLowerCase() },
      url: 'https://doi.org/10.1002/(sici)1097-4636(199706)35:4<431::aid-jbm4>3.0.co;2-d',
      abstract: null,
    });
    expect(fake.requests).toEqual(['/works/10.1002%2F(sici)1097-4636(199706)35%3A4%3C431%3A%3Aaid-jbm4%3E3.0.co%3B2-d?mailto=lab%2Bowner%40example.org']);
  });

  it('gives null for a DOI Crossref does not know (its 404 is plain text), and asks nothing without a DOI', async () => {
    expect(await source().lookup!({ doi: '10.9999/unknown' })).toBeNull();
    expect(fake.requests).toEqual(['/works/10.9999%2Funknown']);
    expect(await source().lookup!({ pmid: '29456894' })).toBeNull();
    expect(fake.requests).toHaveLength(1);
  });

  it('gives null for a DOI whose work has no title', async () => {
    expect(await source().lookup!({ doi: '10.5555/no-title' })).toBeNull();
  });

  it('searches with query.bibliographic and rows, maps message.items, and skips works without a title', async () => {
    const records = await source().search({ query: 'state of open access', limit: 10 });
    expect(records).toEqual([STATE_OF_OA]);
    expect(fake.requests).toEqual(['/works?query.bibliographic=state+of+open+access&rows=10']);
    expect(fake.corpus.some((w) => w.title === undefined)).toBe(true);
  });

  it('sends the query and the polite-pool mailto URL-encoded', async () => {
    await source('lab+owner@example.org').search({ query: 'Piwowar & Priem: OA?', limit: 3 });
    const [path] = fake.requests;
    expect(path).toBe('/works?query.bibliographic=Piwowar+%26+Priem%3A+OA%3F&rows=3&mailto=lab%2Bowner%40example.org');
    const params = new URL(path!, fake.url).searchParams;
    expect(params.get('query.bibliographic')).toBe('Piwowar & Priem: OA?');
    expect(params.get('mailto')).toBe('lab+owner@example.org');
  });

  it('answers [] when nothing matches, and keeps to the limit', async () => {
    fake.switches.mode = 'empty';
    expect(await source().search({ query: 'open access', limit: 5 })).toEqual([]);
    fake.switches.mode = 'ok';
    expect(await source().search({ query: 'open access protein adsorption', limit: 1 })).toHaveLength(1);
    expect(fake.requests.at(-1)).toContain('rows=1');
  });

  it('gives null for an abstract Crossref does not have', async () => {
    fake.switches.noAbstracts = true;
    const [record] = await source().search({ query: 'state of open access', limit: 5 });
    expect(record).toEqual({ ...STATE_OF_OA, abstract: null });
    expect((await source().lookup!({ doi: '10.7717/peerj.4375' }))?.abstract).toBeNull();
  });

  it('turns JATS into plain text: heading dropped, tags gone, entities decoded, whitespace collapsed', () => {
    expect(
      jatsToText(
        '<jats:title>Abstract</jats:title>\n<jats:p>One <jats:italic>two</jats:italic>, three &lt;4&gt; &#233;&#x00E9;.</jats:p><jats:p>Next.</jats:p>',
      ),
    ).toBe('One two, three <4> éé. Next.');
    expect(jatsToText('<jats:p> </jats:p>')).toBeNull();
    expect(jatsToText(undefined)).toBeNull();
  });

  it('calls a cut-off JSON body, or JSON of another shape, malformed', async () => {
    fake.switches.mode = 'malformed';
    expect(await failure(source().search({ query: 'open access', limit: 5 }))).toMatchObject({ source: 'crossref', failure: 'malformed' });
    expect(await failure(source().lookup!({ doi: '10.7717/peerj.4375' }))).toMatchObject({ source: 'crossref', failure: 'malformed' });
    fake.switches.mode = 'wrong_shape';
    expect(await failure(source().search({ query: 'open access', limit: 5 }))).toMatchObject({ failure: 'malformed' });
  });

  it('calls a 503 HTML error page unavailable, and an HTML page served as 200 malformed', async () => {
    fake.switches.mode = 'html';
    expect(await failure(source().search({ query: 'open access', limit: 5 }))).toMatchObject({ source: 'crossref', failure: 'unavailable' });
    expect(await failure(source().lookup!({ doi: '10.7717/peerj.4375' }))).toMatchObject({ failure: 'unavailable' });
    const htmlOk: PoliteGet = async () => ({ status: 200, contentType: 'text/html; charset=utf-8', text: '<html><body>Maintenance</body></html>' });
    expect(await failure(crossrefSource({ get: htmlOk, baseUrl: fake.url }).lookup!({ doi: '10.7717/peerj.4375' }))).toMatchObject({ failure: 'malformed' });
  });
});
