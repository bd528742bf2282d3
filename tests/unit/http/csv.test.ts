import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { escapeFormula, toCsv } from '../../../server/http/csv.js';

describe('CSV formula neutralising', () => {
  it('quotes a formula behind leading line breaks or whitespace, as spreadsheets skip them', () => {
    const cells = ['\n=cmd()', '\r\n+A1', ' \t-2', '\n\n @SUM(A1)', '  =1'];
    expect(cells.map(escapeFormula)).toEqual(cells.map((c) => `'${c}`));
  });

  it('keeps the old rules and leaves plain text alone', () => {
    expect(['=1', '+A1', '-2', '@x', '\tx', '\rx'].map(escapeFormula)).toEqual(["'=1", "'+A1", "'-2", "'@x", "'\tx", "'\rx"]);
    expect(['plain', '\nplain', ' a=b', '2-1', '', '\n', 'x\n=y'].map(escapeFormula)).toEqual(['plain', '\nplain', ' a=b', '2-1', '', '\n', 'x\n=y']);
  });

  it('a whole export round-trips with the cell neutralised', () => {
    const rows = parse(toCsv(['a', 'b'], [['\n=cmd()', 1]]), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([{ a: "'\n=cmd()", b: '1' }]);
  });
});
