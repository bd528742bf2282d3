import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiteratureSource } from '../../../../server/core/literature/record.js';
import { arxivSource } from '../../../../server/core/literature/sources/arxiv.js';
import { crossrefSource } from '../../../../server/core/literature/sources/crossref.js';
import { europePmcSource } from '../../../../server/core/literature/sources/europepmc.js';
import { parseReference, type Resolvers, titlesMatch, titleContradicts, verifyReference } from '../../../../server/core/literature/verify.js';
import { type FakeArxiv, startFakeArxiv } from '../../../helpers/fake-literature/arxiv.js';
import { type FakeCrossref, fakeCrossref } from '../../../helpers/fake-literature/crossref.js';
import { type FakeEuropePmc, startFakeEuropePmc } from '../../../helpers/fake-literature/europepmc.js';
import { plainGet } from '../../../helpers/plain-get.js';

let crossref: FakeCrossref;
let arxiv: FakeArxiv;
let europepmc: FakeEuropePmc;
let resolvers: Resolvers;
beforeAll(async () => {
  [crossref, arxiv, europepmc] = await Promise.all([fakeCrossref(), startFakeArxiv(), startFakeEuropePmc()]);
  const epmc = europePmcSource({ get: plainGet, baseUrl: europepmc.url });
  resolvers = {
    bySource: {
      crossref: crossrefSource({ get: plainGet, baseUrl: crossref.url }),
      arxiv: arxivSource({ get: plainGet, baseUrl: arxiv.url }),
      europepmc: epmc,
    },
    search: (title) => epmc.search({ query: title, limit: 5 }),
  };
});
afterAll(async () => {
  await Promise.all([crossref.close(), arxiv.close(), europepmc.close()]);
});

describe('checking a reference a model named', () => {
  it('verifies a real DOI whose title matches, and links the record', async () => {
    const ref = '"The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles" PeerJ 2018, doi:10.7717/peerj.4375.';
    const checked = await verifyReference(ref, resolvers);
    expect(checked).toMatchObject({ status: 'verified', via: 'doi', record: { source: 'crossref', ids: { doi: '10.7717/peerj.4375' } } });
  });

  it('marks an invented DOI not found, and a real DOI under another title not found', async () => {
    expect(await verifyReference('Smith J. Sleep and gut flora. doi:10.9999/invented.2024.001', resolvers)).toMatchObject({
      status: 'not_found',
      via: 'doi',
      record: null,
    });
    const wrong = await verifyReference('"Quantum gravity in a teacup, revisited at length" 10.7717/peerj.4375', resolvers);
    expect(wrong).toMatchObject({ status: 'not_found', via: 'doi', record: { ids: { doi: '10.7717/peerj.4375' } } });
  });

  it('verifies by arXiv id and by PMID on their own sources', async () => {
    expect(await verifyReference('Vaswani et al., Attention Is All You Need, arXiv:1706.03762v5', resolvers)).toMatchObject({
      status: 'verified',
      via: 'arxiv',
    });
    expect(await verifyReference('PMID: 31452104', resolvers)).toMatchObject({ status: 'verified', via: 'pmid', record: { ids: { pmid: '31452104' } } });
  });

  it('verifies a title found by search, and calls a title nobody has unverifiable', async () => {
    const found = await verifyReference('CRISPR screens identify malaria resistance genes in human erythrocytes (Nature, 2019)', resolvers);
    expect(found).toMatchObject({ status: 'verified', via: 'title' });
    expect(await verifyReference('A wholly imaginary study of moonlight and yeast', resolvers)).toMatchObject({ status: 'unverifiable', via: 'title' });
    expect(await verifyReference('see above', resolvers)).toMatchObject({ status: 'unverifiable', via: null });
  });

  it('calls a reference unverifiable when no source can be asked (literature off, or the source down)', async () => {
    expect(await verifyReference('doi:10.7717/peerj.4375', { bySource: {} })).toMatchObject({ status: 'unverifiable' });
    const down: LiteratureSource = {
      name: 'crossref',
      search: async () => [],
      lookup: async () => {
        throw new Error('down');
      },
    };
    expect(await verifyReference('doi:10.7717/peerj.4375', { bySource: { crossref: down } })).toMatchObject({ status: 'unverifiable' });
  });
});

describe('reading a reference', () => {
  it('finds a DOI, an arXiv id, a PMID and a quoted title', () => {
    expect(parseReference('"A title long enough to count" (2020). https://doi.org/10.1000/ABC.1).')).toEqual({
      ids: { doi: '10.1000/abc.1' },
      title: 'A title long enough to count',
    });
    expect(parseReference('arXiv 2301.01234v2; PMID 123').ids).toEqual({ arxiv: '2301.01234', pmid: '123' });
  });

  it('matches titles despite case, punctuation and a few words', () => {
    expect(titlesMatch('Attention Is All You Need', 'Attention is all you need.')).toBe(true);
    expect(titlesMatch('CRISPR screens identify malaria resistance genes', 'CRISPR screens identify malaria resistance genes in human erythrocytes')).toBe(
      false,
    );
    expect(titlesMatch('Sleep and the gut', 'Quantum gravity')).toBe(false);
  });
});

describe('titleContradicts', () => {
  const title = 'CRISPR screens identify malaria resistance genes in human erythrocytes';
  it('lets a short description or author line stand beside an identifier', () => {
    expect(titleContradicts('Smith et al., Nature 2019,', title)).toBe(false);
    expect(titleContradicts('Screens in erythrocytes', title)).toBe(false);
    expect(titleContradicts('Malaria resistance genes found by CRISPR screens', title)).toBe(false);
  });
  it('catches the title of another work borrowing the identifier', () => {
    expect(titleContradicts('Doe J. Gut microbes and sleep quality. Cell 2019.', title)).toBe(true);
    expect(titleContradicts('Quantum gravity in a teacup, revisited at length', title)).toBe(true);
  });
});
