import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../server/core/errors/app-error.js';
import { MAX_UPLOAD_BYTES, parseUpload } from '../../../../server/features/batch/suite-upload.js';

const refusal = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('uploaded suites', () => {
  it('reads CSV with quoted cells, defaults for id and category, and every kind of check', () => {
    const csv = [
      'id,category,prompt,system,max_tokens,check_type,check_value',
      'capital,geo,"What is the capital of France, in one word?",,50,contains,Paris|paris',
      ',,"Say ""hi""\non two lines",Be brief.,,regex,/^hi$/im',
      'order,,Return an order as JSON,,,json,"id, total"',
      'tone,,Apologise for a late parcel,,,judge,Polite and offers a concrete next step.',
      'both,,Name two primes,,,contains_all,2|3',
    ].join('\r\n');
    const suite = parseUpload({ format: 'csv', text: csv, name: 'Mine' });
    expect(suite).toMatchObject({ id: 'custom', name: 'Mine', domain: 'custom' });
    expect(suite.prompts.map((p) => p.id)).toEqual(['capital', 'p-2', 'order', 'tone', 'both']);
    expect(suite.prompts[0]).toMatchObject({
      category: 'geo',
      prompt: 'What is the capital of France, in one word?',
      max_tokens: 50,
      check: { type: 'contains', values: ['Paris', 'paris'], all: false },
    });
    expect(suite.prompts[1]).toMatchObject({
      category: 'general',
      prompt: 'Say "hi"\non two lines',
      system: 'Be brief.',
      max_tokens: 512,
      check: { type: 'regex', pattern: '^hi$', flags: 'im' },
    });
    expect(suite.prompts[2]!.check).toEqual({ type: 'json', required_keys: ['id', 'total'] });
    expect(suite.prompts[3]!.check).toEqual({ type: 'judge', rubric: 'Polite and offers a concrete next step.' });
    expect(suite.prompts[4]!.check).toMatchObject({ type: 'contains', all: true });
  });

  it('names every bad row by its line in the file and its field', () => {
    const csv = [
      'prompt,max_tokens,check_type,check_value',
      'ok,10,,',
      ',10,,',
      'too many,99999,,',
      'bad check,,regex,(unclosed',
      'backref,,regex,(\\w)\\1',
      'dup,,unknown,x',
    ].join('\n');
    const err = refusal(() => parseUpload({ format: 'csv', text: csv }));
    expect(err.status).toBe(422);
    expect(err.code).toBe('invalid_suite');
    const rows = (err.details as { rows: Array<{ row: number; field: string; message: string }> }).rows;
    expect(rows.map((r) => [r.row, r.field])).toEqual([
      [3, 'prompt'],
      [4, 'max_tokens'],
      [5, 'check.pattern'],
      [6, 'check.pattern'],
      [7, 'check.type'],
    ]);
    expect(rows[3]!.message).toMatch(/^a backreference \(\\1, \\k<name>\) is not supported \(regex checks run on RE2/);
    expect(err.message).toMatch(/^5 problems in the suite; the first: row 3, prompt/);
  });

  it('accepts patterns that backtrack catastrophically (RE2 runs them in linear time), and refuses by name what RE2 cannot run', () => {
    const ok = ['prompt,check_type,check_value', 'a,regex,^(a+)+$', 'b,regex,(a|a)*$', 'c,regex,/^(\\w+\\s?)*$/im', 'd,regex,(?<year>\\d{4})-\\u00e9'].join(
      '\n',
    );
    expect(parseUpload({ format: 'csv', text: ok }).prompts.map((p) => p.check)).toMatchObject([
      { pattern: '^(a+)+$' },
      { pattern: '(a|a)*$' },
      { flags: 'im' },
      { flags: '' },
    ]);
    const bad = [
      'prompt,check_type,check_value',
      'quotes,regex,"([\'""])\\w+\\1"',
      'named,regex,(?<q>x)\\k<q>',
      'ahead,regex,foo(?=bar)',
      'not ahead,regex,^(?!.*robot)',
      'behind,regex,(?<=\\$)\\d+',
      'not behind,regex,(?<!\\d)42',
      'huge,regex,.{1000}x.{1000}',
      'flag,regex,/a/g',
    ].join('\n');
    const err = refusal(() => parseUpload({ format: 'csv', text: bad }));
    expect([err.status, err.code]).toEqual([422, 'invalid_suite']);
    const rows = (err.details as { rows: Array<{ row: number; field: string; message: string }> }).rows;
    expect(rows.map((r) => [r.row, r.field])).toEqual([...[2, 3, 4, 5, 6, 7, 8].map((row) => [row, 'check.pattern']), [9, 'check.flags']]);
    expect(rows.map((r) => r.message.slice(0, r.message.indexOf(' is not supported')))).toEqual([
      'a backreference (\\1, \\k<name>)',
      'a backreference (\\1, \\k<name>)',
      'a lookahead (?=…)',
      'a negative lookahead (?!…)',
      'a lookbehind (?<=…)',
      'a negative lookbehind (?<!…)',
      expect.any(String),
      expect.any(String),
    ]);
    // Each names an alternative.
    expect(rows[0]!.message).toContain('\'\\w+\'|"\\w+"');
    expect(rows[2]!.message).toContain('foo(?=bar) → foobar');
    expect(rows[4]!.message).toContain('(?<=\\$)\\d+ → \\$\\d+');
    expect(rows[5]!.message).toContain('(?<!\\d)42 → (?:^|\\D)42');
    expect(rows[6]!.message).toMatch(/^this pattern unrolls to about 2\d{3} pieces \(a counted repeat multiplies what it repeats\), more than 1000/);
  });

  it('counts lines of multi-line cells, so the row number is where the row is in the file', () => {
    const csv = 'prompt,max_tokens\n"line one\nline two",10\nbad,-1\n';
    const rows = (refusal(() => parseUpload({ format: 'csv', text: csv })).details as { rows: Array<{ row: number }> }).rows;
    expect(rows[0]!.row).toBe(4);
  });

  it('reads JSON as a suite object or a bare array, and reports the prompt position', () => {
    expect(
      parseUpload({ format: 'json', text: JSON.stringify({ name: 'QA', prompts: [{ prompt: 'a?' }, { id: 'b', prompt: 'b?', check: { type: 'json' } }] }) }),
    ).toMatchObject({ name: 'QA', prompts: [{ id: 'p-1' }, { id: 'b' }] });
    expect(parseUpload({ format: 'json', text: '["plain string prompt"]' }).prompts[0]).toMatchObject({ prompt: 'plain string prompt' });
    const err = refusal(() => parseUpload({ format: 'json', text: JSON.stringify([{ prompt: 'x' }, { prompt: 'y', extra: 1 }]) }));
    expect((err.details as { rows: Array<{ row: number }> }).rows[0]!.row).toBe(2);
    expect(refusal(() => parseUpload({ format: 'json', text: '{"prompts": [' })).message).toMatch(/not valid JSON/);
    expect(refusal(() => parseUpload({ format: 'json', text: '{"questions": []}' })).message).toMatch(/"prompts" array/);
  });

  it('refuses unknown CSV columns, empty suites, duplicate ids, and oversized files', () => {
    expect(refusal(() => parseUpload({ format: 'csv', text: 'question,answer\nx,y' })).message).toMatch(/unknown: question, answer/);
    expect(refusal(() => parseUpload({ format: 'csv', text: 'prompt\n' })).message).toMatch(/no prompts/);
    expect(
      (refusal(() => parseUpload({ format: 'csv', text: 'id,prompt\na,x\na,y' })).details as { rows: Array<{ message: string }> }).rows[0]!.message,
    ).toMatch(/duplicate/);
    // A million one-character rows stop at the limit instead of being built first.
    expect(refusal(() => parseUpload({ format: 'csv', text: `prompt\n${'x\n'.repeat(400_000)}` })).message).toMatch(/more than 1000 prompts/);
    expect(refusal(() => parseUpload({ format: 'json', text: `[${'1,'.repeat(400_000)}1]` })).message).toMatch(/400001 prompts/);
    const big = refusal(() => parseUpload({ format: 'csv', text: `prompt\n${'x'.repeat(MAX_UPLOAD_BYTES)}` }));
    expect([big.status, big.code]).toEqual([413, 'suite_too_large']);
  });

  it('keeps formula-looking cells as the text they are (export escapes them)', () => {
    const suite = parseUpload({ format: 'csv', text: 'prompt,category\n"=HYPERLINK(""http://x"")",@sum\n' });
    expect(suite.prompts[0]).toMatchObject({ prompt: '=HYPERLINK("http://x")', category: '@sum' });
  });
});
