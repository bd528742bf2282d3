import { describe, expect, it } from 'vitest';
import { checkReference, type CycleLiterature, namedIdentifiers } from '../../../../server/features/research/cycle-literature.js';
import { newRecords } from '../../../../server/features/research/grounding.js';

const records = newRecords(
  [],
  [
    {
      id: 'doi:10.1038/s41586-019-1506-7',
      source: 'europepmc',
      title: 'CRISPR screens identify malaria resistance genes in human erythrocytes',
      authors: ['A Author'],
      year: 2019,
      venue: 'Nature',
      ids: { doi: '10.1038/s41586-019-1506-7', pmid: '31452104' },
      url: 'https://doi.org/10.1038/s41586-019-1506-7',
      abstract: 'An abstract.',
    },
  ],
  0,
);

/** The sources' side of a check, recording what was asked: the subject is checkReference. */
function sources(answer: Awaited<ReturnType<CycleLiterature['verify']>>['status'] = 'verified') {
  const asked: string[] = [];
  const literature: CycleLiterature = {
    sources: ['openalex'],
    queriesPerCycle: 2,
    search: async () => ({ records: [], notices: [] }),
    verify: async (citation) => {
      asked.push(citation);
      return { citation, status: answer, via: 'doi', record: null };
    },
  };
  return { asked, literature };
}

describe('checkReference', () => {
  it('takes "[n]" as the run’s record n, and a number the run does not have as not found, asking no source', async () => {
    const { asked, literature } = sources();
    expect(await checkReference({ citation: '[1] for the screen', relevance: 'r' }, records, literature)).toMatchObject({
      status: 'verified',
      via: 'excerpt',
      record: { id: 'doi:10.1038/s41586-019-1506-7', url: 'https://doi.org/10.1038/s41586-019-1506-7' },
    });
    expect(await checkReference({ citation: '[7]', relevance: '' }, records, literature)).toMatchObject({ status: 'not_found', via: 'excerpt', record: null });
    expect(asked).toEqual([]);
  });

  it('verifies a reference to one of the run’s records by identifier or title without a request', async () => {
    const { asked, literature } = sources();
    const byPmid = await checkReference({ citation: 'Screens in erythrocytes, PMID: 31452104', relevance: '' }, records, literature);
    expect(byPmid).toMatchObject({ status: 'verified', via: 'pmid' });
    const byTitle = await checkReference(
      { citation: '"CRISPR screens identify malaria resistance genes in human erythrocytes" (Nature 2019)', relevance: '' },
      records,
      literature,
    );
    expect(byTitle).toMatchObject({ status: 'verified', via: 'title' });
    expect(asked).toEqual([]);
  });

  it('asks the sources when a run record’s DOI comes with another title (an invented reference borrowing a real DOI)', async () => {
    const { asked, literature } = sources('not_found');
    const ref = { citation: '"A completely different paper about volcanoes" doi:10.1038/s41586-019-1506-7', relevance: '' };
    expect(await checkReference(ref, records, literature)).toMatchObject({ status: 'not_found' });
    expect(asked).toEqual([ref.citation]);
  });

  it('marks what it cannot check unverifiable with literature off, keeping the model’s words', async () => {
    expect(await checkReference({ citation: 'Smith et al. 2020, doi:10.9999/x', relevance: 'why' }, records, null)).toEqual({
      citation: 'Smith et al. 2020, doi:10.9999/x',
      relevance: 'why',
      status: 'unverifiable',
      via: null,
      record: null,
    });
  });
});

describe('namedIdentifiers', () => {
  it('finds the DOIs, arXiv ids and PMIDs prose names, each once, at most five', () => {
    const text = 'As doi:10.7717/peerj.4375. showed (and arXiv:1706.03762v5, PMID 31452104), again 10.7717/peerj.4375; see arxiv 2106.09685.';
    expect(namedIdentifiers(text)).toEqual(['doi:10.7717/peerj.4375', 'arXiv:1706.03762v5', 'arxiv 2106.09685', 'PMID 31452104']);
    expect(namedIdentifiers('No references here.')).toEqual([]);
    expect(namedIdentifiers(Array.from({ length: 9 }, (_, i) => `10.1000/${i}`).join(' '))).toHaveLength(5);
  });
});
