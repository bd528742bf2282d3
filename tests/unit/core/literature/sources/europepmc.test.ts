import { literatureFailure } from '../../../../helpers/fake-literature/failure.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LiteratureSource } from '../../../../../server/core/literature/record.js';
import { europePmcSource, htmlToPlainText } from '../../../../../server/core/literature/sources/europepmc.js';
import { EUROPEPMC_CORPUS, type FakeEuropePmc, startFakeEuropePmc } from '../../../../helpers/fake-literature/europepmc.js';
import { plainGet } from '../../../../helpers/plain-get.js';

let fake: FakeEuropePmc;
let source: LiteratureSource;

beforeAll(async () => {
  fake = await startFakeEuropePmc();
  source = europePmcSource({ get: plainGet, baseUrl: fake.url, email: 'owner@example.org' });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.mode = 'normal';
  fake.requests.length = 0;
});

const failure = literatureFailure;

describe('the Europe PMC source', () => {
  it('maps every field of a core result', async () => {
    const records = await source.search({ query: 'CRISPR malaria', limit: 5 });
    const raw = EUROPEPMC_CORPUS[0]!;
    expect(records).toEqual([
      {
        id: 'doi:10.1038/s41586-019-1506-7',
        source: 'europepmc',
        title: 'CRISPR screens identify malaria resistance genes in human erythrocytes',
        authors: ['Okafor AN', 'Lindqvist M', 'Patel R'],
        year: 2019,
        venue: 'Nature',
        ids: { doi: '10.1038/s41586-019-1506-7', pmid: raw.pmid, pmcid: raw.pmcid },
        url: 'https://europepmc.org/article/MED/31452104',
        abstract: 'Background Malaria parasites invade red blood cells. Results Genome-wide screens found CD55 and 2H&E staining <confirmed> the hits.',
      },
    ]);
  });

  it('asks with the documented parameters, the query URL-encoded, the email when given', async () => {
    await source.search({ query: 'malaria & "red cells"', limit: 7 });
    expect(fake.requests).toEqual([
      `/search?query=${encodeURIComponent('malaria & "red cells"')}&resultType=core&format=json&pageSize=7&email=owner%40example.org`,
    ]);
    expect(fake.requests[0]).toContain('query=malaria%20%26%20%22red%20cells%22');
    const noEmail = europePmcSource({ get: plainGet, baseUrl: `${fake.url}/` });
    await noEmail.search({ query: 'x', limit: 3 });
    expect(fake.requests[1]).toBe('/search?query=x&resultType=core&format=json&pageSize=3');
  });

  it('returns several records in order, skips the one without a title, falls back to authorString, journalTitle and the DOI link', async () => {
    const records = await source.search({ query: 'malaria', limit: 10 });
    expect(records.map((r) => r.id)).toEqual(['doi:10.1038/s41586-019-1506-7', 'doi:10.1016/j.cell.2017.06.001', 'doi:10.1101/2020.03.01.123456']);
    expect(records[1]!.authors).toEqual(['Mensah K', 'WHO Malaria Group']);
    expect(records[1]!.abstract).toBeNull();
    const preprint = records[2]!;
    expect(preprint.authors).toEqual(['Garcia L', 'Chen W']);
    expect(preprint.venue).toBe('bioRxiv');
    expect(preprint.ids).toEqual({ doi: '10.1101/2020.03.01.123456' });
    expect(preprint.url).toBe('https://doi.org/10.1101/2020.03.01.123456');
    expect(records.some((r) => r.ids.pmid === '99999999')).toBe(false);
  });

  it('gives one record when the page has one', async () => {
    const records = await source.search({ query: 'vaccine', limit: 10 });
    expect(records).toHaveLength(1);
    expect(records[0]!.title).toBe('Malaria vaccine trial in children: a randomised study');
  });

  it('gives [] for an empty result', async () => {
    fake.mode = 'empty';
    expect(await source.search({ query: 'malaria', limit: 10 })).toEqual([]);
  });

  it('gives null abstracts when the records have none', async () => {
    fake.mode = 'no-abstracts';
    const records = await source.search({ query: 'malaria', limit: 10 });
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.abstract === null)).toBe(true);
  });

  it('strips HTML from abstracts to plain text', () => {
    expect(htmlToPlainText('<h4>Aim</h4><p>One<br/>two</p> x<sup>2</sup> <i>E. coli</i> &lt;b&gt; &#916; &#x3b2;')).toBe('Aim One two x2 E. coli <b> Δ β');
    expect(htmlToPlainText('')).toBeNull();
    expect(htmlToPlainText('<p> </p>')).toBeNull();
  });

  it('fails as malformed on a body that is not JSON, and on JSON of the wrong shape', async () => {
    fake.mode = 'malformed';
    expect((await failure(source.search({ query: 'malaria', limit: 5 }))).failure).toBe('malformed');
    fake.mode = 'wrong-shape';
    const err = await failure(source.search({ query: 'malaria', limit: 5 }));
    expect([err.source, err.failure]).toEqual(['europepmc', 'malformed']);
  });

  it('fails as malformed on an HTML page with status 200, as unavailable on a 503 HTML error page', async () => {
    fake.mode = 'html-200';
    expect((await failure(source.search({ query: 'malaria', limit: 5 }))).failure).toBe('malformed');
    fake.mode = 'html';
    const err = await failure(source.search({ query: 'malaria', limit: 5 }));
    expect([err.source, err.failure]).toEqual(['europepmc', 'unavailable']);
    expect(err.message).toContain('503');
  });

  it('fails as unavailable on another unexpected status', async () => {
    const wrongPath = europePmcSource({ get: plainGet, baseUrl: `${fake.url}/nowhere` });
    expect((await failure(wrongPath.search({ query: 'malaria', limit: 5 }))).failure).toBe('unavailable');
  });

  it('looks a record up by PMID', async () => {
    const found = await source.lookup!({ pmid: '28765432' });
    expect(found?.ids).toEqual({ doi: '10.1016/j.cell.2017.06.001', pmid: '28765432' });
    expect(fake.requests[0]).toContain(`query=${encodeURIComponent('EXT_ID:28765432 AND SRC:MED')}&`);
    expect(await source.lookup!({ pmid: '11111111' })).toBeNull();
  });

  it('looks a record up by DOI, normalised', async () => {
    const found = await source.lookup!({ doi: 'https://doi.org/10.1038/S41586-019-1506-7' });
    expect(found?.ids.pmid).toBe('31452104');
    expect(fake.requests[0]).toContain(`query=${encodeURIComponent('DOI:"10.1038/s41586-019-1506-7"')}&`);
    expect(await source.lookup!({ doi: '10.9999/missing' })).toBeNull();
  });

  it('answers null without asking when it has no id it can resolve', async () => {
    expect(await source.lookup!({ arxiv: '1706.03762' })).toBeNull();
    expect(await source.lookup!({ pmid: 'abc' })).toBeNull();
    expect(fake.requests).toEqual([]);
  });
});
