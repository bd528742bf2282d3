import { describe, expect, it } from 'vitest';
import { CHECKED_CHARS, runCheck } from '../../../../server/features/batch/checks.js';
import { BoundedRegex, compileCheckRegex, MAX_TIMEOUTS, RegexRefused } from '../../../../server/features/batch/bounded-regex.js';
import { promptCheckSchema } from '../../../../server/features/batch/suite-schema.js';

const check = (raw: unknown) => promptCheckSchema.parse(raw);
// The deadline is tested on its own below; on a loaded machine it must not fail these.
const regex = new BoundedRegex(10_000, Number.POSITIVE_INFINITY);

describe('batch checks', () => {
  it('contains: any or all values, case-insensitive unless asked', () => {
    expect(runCheck(check({ type: 'contains', values: ['Canberra'] }), 'The capital is canberra.', regex)).toMatchObject({ result: 'pass' });
    expect(runCheck(check({ type: 'contains', values: ['Canberra'], case_sensitive: true }), 'canberra', regex)).toMatchObject({
      result: 'fail',
      detail: 'missing "Canberra"',
    });
    expect(runCheck(check({ type: 'contains', values: ['refund', 'store credit'], all: true }), 'We offer a refund.', regex)).toMatchObject({
      result: 'fail',
      detail: 'missing "store credit"',
    });
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

  it('regex: patterns that backtrack catastrophically run on RE2 in one pass and give the right answer', () => {
    const N = 30_000;
    const a = 'a'.repeat(N);
    const cases: Array<[pattern: string, flags: string, text: string, expected: boolean]> = [
      ['(a|a)*$', '', `${a}!`, true], // the empty match at the end
      ['^(a|a)*$', '', `${a}!`, false],
      ['(?:a|a)*b', '', a, false],
      ['(a+)+$', '', `${a}!`, false],
      ['^(a+)+$', '', `${a}b`, false],
      ['^(a+)+$', 'm', `${a}\nb`, true],
      ['^(A+)+$', 'i', `${a}b`, false],
      ['(a|aa)+$', '', `${a}!`, false],
      ['(.*a){12}', '', `${'a'.repeat(11)}${'b'.repeat(N)}`, false],
      ['(.*a){12}', '', `${'b'.repeat(N)}${'a'.repeat(12)}`, true],
      ['^(\\w+\\s?)*$', '', `${'a '.repeat(N / 2)}!`, false],
      ['(x+x+)+y', '', 'x'.repeat(N), false],
      ['^(a*)*$', '', `${a}b`, false],
      ['^(a|a?)+$', '', `${a}b`, false],
      ['^(a+?)+$', '', `${a}b`, false],
      ['^([a-zA-Z]+)*$', '', `${a}1`, false],
      ['^(([a-z])+.)+[A-Z]([a-z])+$', '', `${a}!`, false],
      ['^(\\d+)*$', '', `${'1'.repeat(N)}x`, false],
      ['^(.*?,){11}P', '', '1,'.repeat(N / 2), false],
      ['(a|b|ab)*c', '', 'ab'.repeat(N / 2), false],
      ['^(\\w|\\d)+$', '', `${'1'.repeat(N)}!`, false],
      ['^(.|\\n)+!$', 's', `${a}\n${a}`, false],
    ];
    // A generous deadline: this asserts answers, not speed (bench/regex-checks.ts measures that).
    // A backtracking engine would not finish any of these; RE2 takes milliseconds.
    const regex = new BoundedRegex(10_000, Number.POSITIVE_INFINITY);
    for (const [pattern, flags, text, expected] of cases) expect(regex.test(pattern, flags, text), `/${pattern}/${flags}`).toBe(expected);
    expect(runCheck(check({ type: 'regex', pattern: '(?:a|a)*b' }), a, regex)).toEqual({ result: 'fail', detail: 'does not match /(?:a|a)*b/' });
  });

  it('regex: what RE2 cannot run is refused, by name (a stored run may hold one)', () => {
    expect(() => compileCheckRegex('(a)\\1', '')).toThrow(RegexRefused);
    expect(() => compileCheckRegex('(a)\\1', '')).toThrow(/backreference/);
    expect(() => compileCheckRegex('(?<q>a)\\k<q>', '')).toThrow(/backreference/);
    expect(() => compileCheckRegex('a(?=b)', '')).toThrow(/lookahead \(\?=/);
    expect(() => compileCheckRegex('a(?!b)', '')).toThrow(/negative lookahead/);
    expect(() => compileCheckRegex('(?<=a)b', '')).toThrow(/lookbehind \(\?<=/);
    expect(() => compileCheckRegex('(?<!a)b', '')).toThrow(/negative lookbehind/);
    expect(() => compileCheckRegex('a', 'g')).toThrow(expect.objectContaining({ field: 'flags' }));
    // Not constructs: an escaped backslash before a digit, a class holding "(?=", a named group.
    for (const ok of ['\\\\1', '[(?=]x', '(?<year>\\d{4})', '[^]', '\\u00e9']) expect(() => compileCheckRegex(ok, ''), ok).not.toThrow();
    expect(runCheck({ type: 'regex', pattern: '(a)\\1', flags: '' }, 'aa', new BoundedRegex())).toMatchObject({
      result: 'fail',
      detail: expect.stringMatching(/cannot run: a backreference/),
    });
  });

  it('regex: a pattern still slow on RE2 fails at its deadline, and is not run again', () => {
    // Linear is not instant: this pattern's DFA runs out of states, ~0.5–1 s per 20,000 random a/b characters.
    let x = 1; // xorshift: the same text every run
    const text = `${Array.from({ length: 100_000 }, () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x & 1 ? 'a' : 'b')).join('')}c`;
    const slow = (n: number) => `[ab]*a[ab]{${n}}c`;
    // A longer deadline than a run's, so a GC pause on this shared machine cannot fail the quick checks.
    const bounded = new BoundedRegex(100);
    expect(bounded.test(slow(900), '', text)).toBe('timeout');
    // 'ac' would be quick: the pattern is not run again once it ran out of time.
    expect(runCheck(check({ type: 'regex', pattern: slow(900) }), 'ac', bounded)).toEqual({
      result: 'fail',
      detail: `/${slow(900)}/ took too long to run; simplify the pattern`,
    });
    expect(runCheck(check({ type: 'regex', pattern: 'a+b' }), 'xaab', bounded)).toMatchObject({ result: 'pass' });
    // Distinct slow patterns each cost a deadline; after MAX_TIMEOUTS of them, none runs any more.
    for (let i = 1; i < MAX_TIMEOUTS; i++) expect(bounded.test(slow(900 - i), '', text)).toBe('timeout');
    expect(runCheck(check({ type: 'regex', pattern: 'a+b' }), 'xaab', bounded)).toMatchObject({
      result: 'fail',
      detail: expect.stringContaining('took too long'),
    });
  });

  it('regex: once a run has spent its regex time budget, its remaining regex checks fail without running', () => {
    // Checks that each stay under the deadline must not add up: a tiny budget shows the rule without timing anything.
    const bounded = new BoundedRegex(10_000, 5);
    const text = 'ab'.repeat(20_000);
    let runs = 0;
    while (bounded.test('(a|b)+c', '', text) !== 'timeout') expect(++runs).toBeLessThan(10_000);
    expect(runCheck(check({ type: 'regex', pattern: 'x' }), 'x', bounded)).toMatchObject({ result: 'fail', detail: expect.stringContaining('took too long') });
  });

  it('hands a judge rubric back to the runner', () => {
    expect(runCheck(check({ type: 'judge', rubric: 'Polite, and offers the refund the policy allows.' }), 'anything', regex)).toEqual({
      result: 'judge',
      rubric: 'Polite, and offers the refund the policy allows.',
    });
  });
});
