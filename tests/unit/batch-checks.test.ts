import { describe, expect, it } from 'vitest';
import { CHECKED_CHARS, runCheck } from '../../server/engines/batch/checks.js';
import { BoundedRegex, MAX_TIMEOUTS } from '../../server/engines/batch/bounded-regex.js';
import { promptCheckSchema } from '../../server/engines/batch/suite-schema.js';

const check = (raw: unknown) => promptCheckSchema.parse(raw);
const regex = new BoundedRegex();

describe('batch checks', () => {
  it('contains: any or all values, case-insensitive unless asked', () => {
    expect(runCheck(check({ type: 'contains', values: ['Canberra'] }), 'The capital is canberra.', regex)).toMatchObject({ result: 'pass' });
    expect(runCheck(check({ type: 'contains', values: ['Canberra'], case_sensitive: true }), 'canberra', regex)).toMatchObject({ result: 'fail', detail: 'missing "Canberra"' });
    expect(runCheck(check({ type: 'contains', values: ['refund', 'store credit'], all: true }), 'We offer a refund.', regex)).toMatchObject({ result: 'fail', detail: 'missing "store credit"' });
    expect(runCheck(check({ type: 'contains', values: ['refund', 'store credit'] }), 'We offer a refund.', regex)).toMatchObject({ result: 'pass' });
  });

  it('regex: with flags, on the answer cut to its bound', () => {
    expect(runCheck(check({ type: 'regex', pattern: '\\b1945\\b' }), 'It ended in 1945.', regex)).toMatchObject({ result: 'pass' });
    expect(runCheck(check({ type: 'regex', pattern: '^yes$', flags: 'im' }), 'Well\nYES\n', regex)).toMatchObject({ result: 'pass' });
    expect(runCheck(check({ type: 'regex', pattern: 'needle' }), `${'x'.repeat(CHECKED_CHARS)}needle`, regex)).toMatchObject({ result: 'fail' });
  });

  it('json: valid, an object with the keys; a wrapping code fence is tolerated', () => {
    const keys = { type: 'json', required_keys: ['name', 'price'] };
    expect(runCheck(check(keys), '{"name": "Lamp", "price": 12}', regex)).toMatchObject({ result: 'pass' });
    expect(runCheck(check(keys), '```json\n{"name": "Lamp", "price": 12}\n```', regex)).toMatchObject({ result: 'pass' });
    expect(runCheck(check(keys), '{"name": "Lamp"}', regex)).toEqual({ result: 'fail', detail: 'missing keys: price' });
    expect(runCheck(check(keys), '[1, 2]', regex)).toMatchObject({ result: 'fail', detail: 'valid JSON, but not an object' });
    expect(runCheck(check(keys), 'Here you go: {"name": "Lamp"', regex)).toEqual({ result: 'fail', detail: 'not valid JSON' });
    expect(runCheck(check({ type: 'json' }), '[1, 2]', regex)).toMatchObject({ result: 'pass' });
    expect(runCheck(check({ type: 'json' }), '```{"a": 1}```', regex)).toMatchObject({ result: 'pass' });
    expect(runCheck(check({ type: 'json' }), '```python\nprint(1)\n```', regex)).toMatchObject({ result: 'fail' });
    // An answer shaped to make a fence regex backtrack is read with string operations (this returned in 0.4 s before).
    expect(runCheck(check({ type: 'json' }), `\`\`\`${'\n'.repeat(19_990)}x`, regex)).toEqual({ result: 'fail', detail: 'not valid JSON' });
  });

  it('regex: a pattern with catastrophic backtracking fails at its deadline, and is not run again', () => {
    const evil = check({ type: 'regex', pattern: '^(a+)+$' });
    const bounded = new BoundedRegex();
    // Unbounded, this input backtracks for minutes (the test would time out).
    expect(runCheck(evil, `${'a'.repeat(40)}b`, bounded)).toMatchObject({ result: 'fail', detail: expect.stringContaining('took too long') });
    // 'aaa' would match quickly: the pattern is not run again once it ran out of time.
    expect(runCheck(evil, 'aaa', bounded)).toMatchObject({ result: 'fail', detail: expect.stringContaining('took too long') });
    expect(runCheck(check({ type: 'regex', pattern: 'a+b' }), 'xaab', bounded)).toMatchObject({ result: 'pass' });
    // Distinct slow patterns each cost a deadline; after MAX_TIMEOUTS of them, none runs any more.
    for (let i = 1; i < MAX_TIMEOUTS; i++) runCheck(check({ type: 'regex', pattern: `^(a+)+${i}$` }), `${'a'.repeat(40)}b`, bounded);
    expect(runCheck(check({ type: 'regex', pattern: 'a+b' }), 'xaab', bounded)).toMatchObject({ result: 'fail', detail: expect.stringContaining('took too long') });
  });

  it('hands a judge rubric back to the runner', () => {
    expect(runCheck(check({ type: 'judge', rubric: 'Polite, and offers the refund the policy allows.' }), 'anything', regex)).toEqual({ result: 'judge', rubric: 'Polite, and offers the refund the policy allows.' });
  });
});
