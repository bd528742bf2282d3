/**
 * Mechanical checks of a batch answer (contains, regex, JSON). A judge rubric needs a model call,
 * so it is handed back to the runner. Answers are cut to a bound first, so a long answer
 * cannot make a check slow.
 */
import type { BoundedRegex } from './bounded-regex.js';
import type { PromptCheck } from './suite-schema.js';

/** Longest answer a check reads. */
export const CHECKED_CHARS = 20_000;

export type CheckOutcome = { result: 'pass' | 'fail'; detail: string } | { result: 'judge'; rubric: string };

export function runCheck(check: PromptCheck, answer: string, regex: Pick<BoundedRegex, 'test'>): CheckOutcome {
  const text = answer.slice(0, CHECKED_CHARS);
  switch (check.type) {
    case 'contains': {
      const norm = (s: string) => (check.case_sensitive ? s : s.toLowerCase());
      const found = check.values.filter((v) => norm(text).includes(norm(v)));
      const pass = check.all ? found.length === check.values.length : found.length > 0;
      const missing = check.values.filter((v) => !found.includes(v));
      return {
        result: pass ? 'pass' : 'fail',
        detail: pass ? `found ${found.map((v) => `"${v}"`).join(', ')}` : `missing ${missing.map((v) => `"${v}"`).join(', ')}`,
      };
    }
    case 'regex': {
      const pass = regex.test(check.pattern, check.flags, text);
      if (pass === 'timeout') return { result: 'fail', detail: `/${check.pattern}/${check.flags} took too long to run; simplify the pattern` };
      if (typeof pass === 'object') return { result: 'fail', detail: `/${check.pattern}/${check.flags} cannot run: ${pass.refused}` };
      return { result: pass ? 'pass' : 'fail', detail: `${pass ? 'matches' : 'does not match'} /${check.pattern}/${check.flags}` };
    }
    case 'json':
      return jsonCheck(text, check.required_keys);
    case 'judge':
      return { result: 'judge', rubric: check.rubric };
  }
}

/** Valid JSON (a wrapping ```json fence is tolerated: models add one even when asked not to), an object with the keys. */
function jsonCheck(text: string, keys: readonly string[]): CheckOutcome {
  const body = unfence(text.trim());
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { result: 'fail', detail: 'not valid JSON' };
  }
  if (keys.length === 0) return { result: 'pass', detail: 'valid JSON' };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { result: 'fail', detail: 'valid JSON, but not an object' };
  const missing = keys.filter((k) => !Object.hasOwn(value, k));
  return missing.length === 0
    ? { result: 'pass', detail: `object with ${keys.join(', ')}` }
    : { result: 'fail', detail: `missing keys: ${missing.join(', ')}` };
}

/** The inside of a ```json … ``` fence around the whole text; string operations, so no answer can make it slow. */
function unfence(text: string): string {
  if (!text.startsWith('```') || !text.endsWith('```') || text.length < 6) return text;
  const inner = text.slice(3, -3);
  const firstLine = inner.indexOf('\n');
  const tag = firstLine < 0 ? '' : inner.slice(0, firstLine).trim().toLowerCase();
  return (tag === '' || tag === 'json' ? inner.slice(firstLine + 1) : inner).trim();
}
