import { describe, expect, it } from 'vitest';
import { LiteratureError } from '../../../../server/core/literature/errors.js';
import { normaliseArxivId, normaliseDoi, plainText, recordId } from '../../../../server/core/literature/record.js';

describe('literature identifiers', () => {
  it('keeps a DOI lower-case without its resolver prefix, and refuses what is not one', () => {
    expect(normaliseDoi('https://doi.org/10.1038/NATURE12373')).toBe('10.1038/nature12373');
    expect(normaliseDoi('doi: 10.1000/xyz123')).toBe('10.1000/xyz123');
    expect(normaliseDoi('http://dx.doi.org/10.1234/ABC')).toBe('10.1234/abc');
    expect(normaliseDoi('nature12373')).toBeUndefined();
    expect(normaliseDoi(null)).toBeUndefined();
  });

  it('keeps an arXiv id without version or prefix, old and new style', () => {
    expect(normaliseArxivId('http://arxiv.org/abs/2301.01234v2')).toBe('2301.01234');
    expect(normaliseArxivId('arXiv:1706.03762')).toBe('1706.03762');
    expect(normaliseArxivId('https://arxiv.org/pdf/2301.01234v1.pdf')).toBe('2301.01234');
    expect(normaliseArxivId('hep-th/9901001v1')).toBe('hep-th/9901001');
    expect(normaliseArxivId('not-an-id')).toBeUndefined();
  });

  it('names a record by its DOI first, then arXiv, PMID, OpenAlex id', () => {
    expect(recordId({ doi: '10.1/x', arxiv: '2301.01234' })).toBe('doi:10.1/x');
    expect(recordId({ arxiv: '2301.01234', pmid: '1' })).toBe('arxiv:2301.01234');
    expect(recordId({ pmid: '123', openalex: 'W1' })).toBe('pmid:123');
    expect(recordId({ openalex: 'W1' })).toBe('openalex:W1');
    expect(recordId({})).toBeUndefined();
  });

  it('collapses whitespace, and gives null for empty text', () => {
    expect(plainText('  a\n\tb  ')).toBe('a b');
    expect(plainText('   ')).toBeNull();
    expect(plainText(undefined)).toBeNull();
  });

  it('says which source failed and how, with the wait it asked for', () => {
    const err = new LiteratureError('arxiv', 'rate_limited', 'arXiv asked us to wait', 30);
    expect(err).toMatchObject({ source: 'arxiv', failure: 'rate_limited', retryAfterS: 30, name: 'LiteratureError' });
  });
});
