import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LiteratureError } from '../../../../../server/core/literature/errors.js';
import { pageSize, readItems, readJson, unexpectedStatus } from '../../../../../server/core/literature/sources/response.js';

const ok = (text: string, contentType = 'application/json') => ({ status: 200, contentType, text });

describe('reading a literature API response', () => {
  it('reads JSON by a schema, and calls other bodies malformed, saying what they were', () => {
    const schema = z.object({ results: z.array(z.unknown()) });
    expect(readJson('openalex', ok('{"results":[1]}'), schema)).toEqual({ results: [1] });
    expect(() => readJson('openalex', ok('{"results":'), schema)).toThrow(/not JSON/);
    expect(() => readJson('openalex', ok('<html></html>', 'text/html'), schema)).toThrow(/HTML page/);
    try {
      readJson('crossref', ok('{"results":{}}'), schema);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(LiteratureError);
      expect(err).toMatchObject({ source: 'crossref', failure: 'malformed', message: expect.stringContaining('results') });
    }
  });

  it('keeps the items a schema reads and skips the others', () => {
    expect(readItems([{ a: 1 }, { a: 'x' }, null, { a: 2 }], z.object({ a: z.number() }))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('calls an unexpected status unavailable, and a 429 that got through rate limited', () => {
    expect(unexpectedStatus('crossref', { status: 502, contentType: 'text/html', text: '' })).toMatchObject({
      failure: 'unavailable',
      message: 'crossref answered 502 (text/html)',
    });
    expect(unexpectedStatus('crossref', { status: 400, contentType: '', text: '' })).toMatchObject({ failure: 'unavailable' });
    expect(unexpectedStatus('openalex', { status: 429, contentType: '', text: '' })).toMatchObject({ failure: 'rate_limited' });
  });

  it('turns a limit into a page size between 1 and the API maximum', () => {
    expect(pageSize(10, 200)).toBe(10);
    expect(pageSize(0, 200)).toBe(1);
    expect(pageSize(1000, 200)).toBe(200);
    expect(pageSize(2.7, 200)).toBe(2);
    expect(pageSize(Number.NaN, 200)).toBe(1);
  });
});
