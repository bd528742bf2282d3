/**
 * Runs a visitor's regular expression against a model's answer with a deadline. A pattern with
 * catastrophic backtracking would otherwise hold the event loop (and every other visitor) for
 * seconds; in a vm context V8 stops it at the deadline. Uploads refuse most such patterns up
 * front (safe-regex2); this is the guarantee for the rest.
 */
import { createContext, runInContext, type Context } from 'node:vm';

export const REGEX_DEADLINE_MS = 20;
/** After this many deadlines in one run, regex checks fail without running: each one held the event loop. */
export const MAX_TIMEOUTS = 10;

export type RegexOutcome = boolean | 'timeout';

export class BoundedRegex {
  private readonly context: Context = createContext({ pattern: '', flags: '', text: '' });
  /** Patterns that ran out of time once are not run again: a second timeout would cost the same. One per run. */
  private readonly slow = new Set<string>();

  test(pattern: string, flags: string, text: string): RegexOutcome {
    const key = `${flags}/${pattern}`;
    if (this.slow.has(key) || this.slow.size >= MAX_TIMEOUTS) return 'timeout';
    Object.assign(this.context, { pattern, flags, text });
    try {
      return runInContext('new RegExp(pattern, flags).test(text)', this.context, { timeout: REGEX_DEADLINE_MS }) === true;
    } catch {
      this.slow.add(key);
      return 'timeout';
    } finally {
      this.context.text = '';
    }
  }
}
