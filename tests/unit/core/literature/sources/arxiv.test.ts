import { literatureFailure } from '../../../../helpers/fake-literature/failure.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LiteratureError } from '../../../../../server/core/literature/errors.js';
import type { LiteratureSource } from '../../../../../server/core/literature/record.js';
import { arxivSource, parseArxivFeed } from '../../../../../server/core/literature/sources/arxiv.js';
import { ARXIV_CORPUS, type FakeArxiv, startFakeArxiv } from '../../../../helpers/fake-literature/arxiv.js';
import { plainGet } from '../../../../helpers/plain-get.js';

let fake: FakeArxiv;
let source: LiteratureSource;

beforeAll(async () => {
  fake = await startFakeArxiv();
  source = arxivSource({ get: plainGet, baseUrl: fake.url });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.mode = 'normal';
  fake.requests.length = 0;
});

const failure = literatureFailure;

describe('the arXiv source', () => {
  it('maps every field of a single entry', async () => {
    const records = await source.search({ query: 'transformer', limit: 5 });
    expect(records).toEqual([
      {
        id: 'arxiv:1706.03762',
        source: 'arxiv',
        title: 'Attention Is All You Need',
        authors: ARXIV_CORPUS[0]!.authors,
        year: 2017,
        venue: 'arXiv',
        ids: { arxiv: '1706.03762' },
        url: 'https://arxiv.org/abs/1706.03762',
        abstract:
          'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks. We propose the Transformer & <more>.',
      },
    ]);
  });

  it('maps several entries, with the DOI, the journal reference and an old-style id', async () => {
    const records = await source.search({ query: 'we', limit: 10 });
    expect(records.map((r) => r.id)).toEqual(['arxiv:1706.03762', 'doi:10.48550/arxiv.2106.09685', 'doi:10.1023/a:1026654312961']);
    expect(records[1]).toMatchObject({
      ids: { arxiv: '2106.09685', doi: '10.48550/arxiv.2106.09685' },
      venue: 'ICLR 2022',
      year: 2021,
      authors: ['Edward J. Hu'],
    });
    expect(records[2]).toMatchObject({
      ids: { arxiv: 'hep-th/9711200', doi: '10.1023/a:1026654312961' },
      venue: 'Adv.Theor.Math.Phys.2:231-252,1998',
      year: 1997,
      url: 'https://arxiv.org/abs/hep-th/9711200',
    });
  });

  it('asks with the documented parameters and the query URL-encoded', async () => {
    await source.search({ query: 'low rank & "adaptation"', limit: 2 });
    expect(fake.requests).toEqual([`/query?search_query=${encodeURIComponent('all:low rank & "adaptation"')}&start=0&max_results=2`]);
    expect(fake.requests[0]).toContain('all%3Alow%20rank%20%26%20%22adaptation%22');
  });

  it('gives [] for an empty feed', async () => {
    fake.mode = 'empty';
    expect(await source.search({ query: 'transformer', limit: 5 })).toEqual([]);
    expect(parseArxivFeed('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>')).toEqual([]);
  });

  it('gives null abstracts when the entries have no summary', async () => {
    fake.mode = 'no-abstracts';
    const records = await source.search({ query: 'we', limit: 10 });
    expect(records).toHaveLength(3);
    expect(records.every((r) => r.abstract === null)).toBe(true);
  });

  it("fails as malformed on arXiv's error entry", async () => {
    fake.mode = 'error-entry';
    const err = await failure(source.search({ query: 'transformer', limit: 5 }));
    expect([err.source, err.failure]).toEqual(['arxiv', 'malformed']);
    expect(err.message).toContain('incorrect id format');
  });

  it('fails as malformed on a body that is not XML, and on XML that is not an Atom feed', async () => {
    fake.mode = 'malformed';
    expect((await failure(source.search({ query: 'transformer', limit: 5 }))).failure).toBe('malformed');
    fake.mode = 'wrong-shape';
    expect((await failure(source.search({ query: 'transformer', limit: 5 }))).failure).toBe('malformed');
    expect(() => parseArxivFeed('Rate exceeded.')).toThrow(LiteratureError);
  });

  it('fails as malformed on an HTML page with status 200, as unavailable on a 503 HTML error page', async () => {
    fake.mode = 'html-200';
    expect((await failure(source.search({ query: 'transformer', limit: 5 }))).failure).toBe('malformed');
    fake.mode = 'html';
    const err = await failure(source.search({ query: 'transformer', limit: 5 }));
    expect([err.source, err.failure]).toEqual(['arxiv', 'unavailable']);
  });

  it('fails as unavailable on another unexpected status', async () => {
    const wrongPath = arxivSource({ get: plainGet, baseUrl: `${fake.url}/nowhere` });
    expect((await failure(wrongPath.search({ query: 'transformer', limit: 5 }))).failure).toBe('unavailable');
  });

  it('looks an e-print up by its arXiv id, without version', async () => {
    const found = await source.lookup!({ arxiv: 'arXiv:2106.09685v1' });
    expect(found?.title).toBe('LoRA: Low-Rank Adaptation of Large Language Models');
    expect(fake.requests).toEqual(['/query?id_list=2106.09685']);
    const old = await source.lookup!({ arxiv: 'hep-th/9711200' });
    expect(old?.ids.arxiv).toBe('hep-th/9711200');
    expect(fake.requests[1]).toBe(`/query?id_list=${encodeURIComponent('hep-th/9711200')}`);
  });

  it('answers null for an id it does not have, and without asking for a record with no arXiv id', async () => {
    expect(await source.lookup!({ arxiv: '2301.00001' })).toBeNull();
    expect(fake.requests).toHaveLength(1);
    expect(await source.lookup!({ doi: '10.1/x' })).toBeNull();
    expect(fake.requests).toHaveLength(1);
  });

  it('skips entries without a title', () => {
    const xml =
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2301.01234v1</id><title></title></entry>' +
      '<entry><id>http://arxiv.org/abs/2301.01235v1</id><title>1984</title><published>2023-01-03T00:00:00Z</published></entry></feed>';
    expect(parseArxivFeed(xml).map((r) => [r.id, r.title])).toEqual([['arxiv:2301.01235', '1984']]);
  });
});
