import { describe, expect, it } from 'vitest';
import { primaryId, shortAuthors } from '../../../../server/features/research/record-text.js';

describe('how a record reads', () => {
  it('shows up to three authors, then et al.', () => {
    expect(shortAuthors(['A', 'B', 'C'])).toBe('A, B, C');
    expect(shortAuthors(['A', 'B', 'C', 'D'])).toBe('A, B, C et al.');
    expect(shortAuthors([])).toBe('');
  });

  it('names its identifier the way reference checks read it back: DOI, then arXiv id, then PMID', () => {
    expect(primaryId({ ids: { doi: '10.1/x', pmid: '1' } })).toBe('doi:10.1/x');
    expect(primaryId({ ids: { arxiv: '2301.00001', pmid: '1' } })).toBe('arXiv:2301.00001');
    expect(primaryId({ ids: { pmid: '31452104' } })).toBe('PMID:31452104');
    expect(primaryId({ ids: { openalex: 'W1' } })).toBe('');
  });
});
