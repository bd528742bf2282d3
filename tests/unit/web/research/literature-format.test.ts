/** How the page reads a run's literature (web/research/literature-format.js): pure, so no browser is needed. */
import { describe, expect, it } from 'vitest';
import type { CheckedReference, Run, RunLiterature } from '../../../../shared/research-types.js';
import {
  authorsShort,
  citedBy,
  cyclesOfSearch,
  droppedText,
  lookupsText,
  recordAnchor,
  recordOf,
  referenceHint,
  safeUrl,
  similarityText,
  sourceLabel,
  STATUS_LABELS,
  statusCounts,
  titleYear,
} from '../../../../web/research/literature-format.js';
import { literatureRun } from '../../../helpers/research-literature-fixture.js';

const run = literatureRun() as unknown as Run;
const literature = run.literature!;
const labels = new Map(run.hypotheses.map((h, i) => [h.id, `H${i + 1}`]));
const ref = (status: CheckedReference['status'], over: Partial<CheckedReference> = {}): CheckedReference => ({
  citation: 'x',
  relevance: '',
  status,
  via: null,
  record: null,
  ...over,
});

describe('the literature as the page reads it', () => {
  it('names the sources and the statuses in words', () => {
    expect(['openalex', 'europepmc', 'arxiv', 'crossref', 'pubmed'].map(sourceLabel)).toEqual(['OpenAlex', 'Europe PMC', 'arXiv', 'Crossref', 'pubmed']);
    expect(STATUS_LABELS).toEqual({ verified: 'verified', not_found: 'not found', unverifiable: 'unverifiable' });
  });

  it('shortens author lists to what a line has room for', () => {
    expect(authorsShort([])).toBe('');
    expect(authorsShort(['Ada Lovelace'])).toBe('Ada Lovelace');
    expect(authorsShort(['Ada Lovelace', ' Alan Turing '])).toBe('Ada Lovelace & Alan Turing');
    expect(authorsShort(['Ada Lovelace', 'Alan Turing', 'Grace Hopper'])).toBe('Ada Lovelace et al.');
    expect(authorsShort(['', 'Grace Hopper'])).toBe('Grace Hopper');
  });

  it('links only to http(s) addresses', () => {
    expect(safeUrl('https://doi.org/10.1/x')).toBe('https://doi.org/10.1/x');
    expect(safeUrl('http://arxiv.org/abs/2203.01234')).toBe('http://arxiv.org/abs/2203.01234');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('https://a b')).toBeNull();
    expect(safeUrl(null)).toBeNull();
    expect(safeUrl(undefined)).toBeNull();
  });

  it('finds record n, and nothing without literature or beyond the list', () => {
    expect(recordOf(literature, 3)?.title).toBe(literature.records[2]!.title);
    expect(recordOf(literature, 99)).toBeNull();
    expect(recordOf(null, 1)).toBeNull();
    // Out of order (n is what counts, not the place).
    const shuffled: RunLiterature = { ...literature, records: [...literature.records].reverse() };
    expect(recordOf(shuffled, 1)?.n).toBe(1);
    expect(titleYear({ title: 'T', year: 2020 })).toBe('T (2020)');
    expect(titleYear({ title: 'T', year: null })).toBe('T');
    expect(recordAnchor(7)).toBe('lit-record-7');
  });

  it('says which hypotheses cite each record, by citation or by a quote, in the page’s order', () => {
    const cited = citedBy(run, labels);
    expect(Object.fromEntries(cited)).toEqual({ 1: ['H1'], 2: ['H1'], 3: ['H2'] });
    const quoted = { ...run, hypotheses: [...run.hypotheses, { ...run.hypotheses[2]!, id: 'h_more', citations: [2], evidence: [{ n: 4, quote: 'q' }] }] };
    expect(Object.fromEntries(citedBy(quoted, new Map([...labels, ['h_more', 'H4']])))).toEqual({ 1: ['H1'], 2: ['H1', 'H4'], 3: ['H2'], 4: ['H4'] });
  });

  it('groups the searches and notices by cycle with what they found', () => {
    expect(
      cyclesOfSearch(literature).map((c) => ({ cycle: c.cycle, queries: c.queries.length, notices: c.notices.length, found: c.found, added: c.added })),
    ).toEqual([
      { cycle: 0, queries: 3, notices: 1, found: 23, added: 2 },
      { cycle: 1, queries: 2, notices: 0, found: 17, added: 2 },
    ]);
    // A cycle whose every source failed has notices and no query results.
    const failed = cyclesOfSearch({ ...literature, queries: [], notices: [{ cycle: 2, source: null, message: 'No source answered.' }] });
    expect(failed).toEqual([{ cycle: 2, queries: [], notices: [{ cycle: 2, source: null, message: 'No source answered.' }], found: 0, added: 0 }]);
    expect(cyclesOfSearch({ records: [], queries: [], notices: [], sources: [] })).toEqual([]);
  });

  it('counts references by status, worst first, and explains a badge', () => {
    expect(statusCounts([ref('verified'), ref('unverifiable'), ref('not_found'), ref('verified')])).toEqual([
      { status: 'not_found', count: 1 },
      { status: 'unverifiable', count: 1 },
      { status: 'verified', count: 2 },
    ]);
    expect(statusCounts([])).toEqual([]);
    const record = { id: 'doi:10.1/x', source: 'crossref' as const, title: 'A title', year: 2019, url: null, ids: { doi: '10.1/x' } };
    expect(referenceHint(ref('verified', { via: 'doi', record }))).toBe(
      'A real record with a matching title was found. Record: A title (2019), Crossref. Checked by DOI.',
    );
    expect(referenceHint(ref('unverifiable'))).toBe('Nothing to check it by, or no source could be asked.');
  });

  it('words similarity, dropped quotes and lookups', () => {
    expect(similarityText(0.914)).toBe('91%');
    expect(similarityText(1.2)).toBe('100%');
    expect(droppedText(1)).toBe('1 quote dropped: not in the cited abstract');
    expect(droppedText(3)).toBe('3 quotes dropped: not in the cited abstract');
    expect(lookupsText(60)).toBe('up to 60 literature lookups');
    expect(lookupsText(1)).toBe('up to 1 literature lookup');
    expect(lookupsText(1500)).toBe('up to 1,500 literature lookups');
  });
});
