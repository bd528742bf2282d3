/**
 * Regex checks run on re2js, a port of RE2: matching takes time linear in the answer's length
 * whatever the pattern, so (a|a)*$ costs one pass where a backtracking engine needs 2^n steps.
 * Patterns are written as JavaScript regexes and translated; what RE2 cannot express
 * (backreferences, lookarounds) is refused when a suite is read, by name, with what to write
 * instead (compileCheckRegex, called from suite-schema.ts).
 */
import { createContext, Script, type Context } from 'node:vm';
import { RE2JS } from 're2js';

/**
 * The deadline stays as a second line. Linear is not small: a pattern whose DFA keeps running out
 * of states ([ab]*a[ab]{20}c$, (?:a|b)*a(?:a|b){200}c) took 50 ms on 500 characters and up to 1 s
 * on the 20,000 a check reads. The vm's watchdog costs ~0.3 ms a check, little next to the model
 * call each check follows.
 */
export const REGEX_DEADLINE_MS = 20;
/** After this many deadlines in one run, regex checks fail without running: each one held the event loop. */
export const MAX_TIMEOUTS = 10;
/** Regex time one run may spend in all: checks that each finish just under the deadline cannot add up to minutes. */
export const RUN_REGEX_BUDGET_MS = 2_000;
/**
 * Largest rough program size (a counted repeat multiplies what it repeats): compile time and the
 * NFA's cost per character grow with it; (?i)\w{1,1000} took 7 ms to compile.
 */
const MAX_REGEX_SIZE = 1000;

/** RE2 matches by code point, as the u flag does; g and y (state between tests), d and v are refused by the schema. */
const FLAG_BITS: Readonly<Record<string, number>> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, u: 0 };

const WHY = 'regex checks run on RE2, which keeps them linear-time';
const LOOKAROUNDS: ReadonlyArray<readonly [string, string]> = [
  [
    '(?=',
    `a lookahead (?=…) is not supported (${WHY}); match the text itself (foo(?=bar) → foobar), and for "A and B in any order" write A[\\s\\S]*B|B[\\s\\S]*A or use a contains_all check`,
  ],
  [
    '(?!',
    `a negative lookahead (?!…) is not supported (${WHY}); match what may follow instead (cat(?!s) → cat(?:[^s]|$)), or use a judge rubric for "must not say"`,
  ],
  ['(?<=', `a lookbehind (?<=…) is not supported (${WHY}); include the text before in the match ((?<=\\$)\\d+ → \\$\\d+)`],
  ['(?<!', `a negative lookbehind (?<!…) is not supported (${WHY}); match the character before instead ((?<!\\d)42 → (?:^|\\D)42)`],
];
const BACKREFERENCE = `a backreference (\\1, \\k<name>) is not supported (${WHY}); write out each text it may repeat ((['"])\\w+\\1 → '\\w+'|"\\w+")`;

/** Why a pattern cannot run as a check, and which field of the check is at fault. */
export class RegexRefused extends Error {
  constructor(
    message: string,
    readonly field: 'pattern' | 'flags' = 'pattern',
  ) {
    super(message);
  }
}

/** A check's pattern (JavaScript syntax, already valid as a RegExp) compiled for RE2; throws RegexRefused. */
export function compileCheckRegex(pattern: string, flags: string): RE2JS {
  let bits = 0;
  for (const f of flags) {
    const bit = FLAG_BITS[f];
    if (bit === undefined) throw new RegexRefused(`flag ${f} has no RE2 equivalent; use i, m, s or u`, 'flags');
    bits |= bit;
  }
  const { unsupported, size } = scan(pattern);
  if (unsupported) throw new RegexRefused(unsupported);
  if (size > MAX_REGEX_SIZE) {
    throw new RegexRefused(
      `this pattern unrolls to about ${size} pieces (a counted repeat multiplies what it repeats), more than ${MAX_REGEX_SIZE}; use smaller counts, or * where the exact count does not matter`,
    );
  }
  try {
    // translateRegExp turns JavaScript-only syntax (\uXXXX, (?<name>, [^]) into RE2's.
    return RE2JS.compile(RE2JS.translateRegExp(pattern), bits);
  } catch (err) {
    throw new RegexRefused(
      `RE2 cannot parse it (${err instanceof Error ? err.message : String(err)}); regex checks take JavaScript syntax without backreferences or lookarounds`,
    );
  }
}

/** One pass over the pattern: the first construct RE2 lacks, and a rough size of the program it compiles to. */
function scan(pattern: string): { unsupported: string | null; size: number } {
  const outer: number[] = []; // size so far of each enclosing group
  let size = 0;
  let last = 0; // size of the atom a counted repeat would repeat
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '(') {
      const look = LOOKAROUNDS.find(([open]) => pattern.startsWith(open, i));
      if (look) return { unsupported: look[1], size };
      outer.push(size);
      size = last = 0;
      continue;
    }
    const repeat = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i, i + 16)) : null;
    if (repeat) {
      const n = Number(repeat[1]);
      const count = repeat[2] === undefined ? n : repeat[3] ? Number(repeat[3]) : n + 1;
      size += last * (count - 1);
      last *= count;
      i += repeat[0].length - 1;
      continue;
    }
    let atom = 1;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<')) return { unsupported: BACKREFERENCE, size };
      i++;
    } else if (c === '[') {
      i = classEnd(pattern, i); // a class is one atom; no group or backreference inside
    } else if (c === ')') {
      atom = size + 1;
      size = outer.pop() ?? 0;
    }
    size += atom;
    last = atom;
  }
  return { unsupported: null, size: outer.reduce((a, b) => a + b, size) };
}

/** Index of the ] closing the class opened at `open` (JavaScript: [] and [^] are classes too). */
function classEnd(pattern: string, open: number): number {
  for (let i = open + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return pattern.length;
}

export type RegexOutcome = boolean | 'timeout' | { refused: string };

/** Compiled in the vm and not kept: a compiled pattern holds its DFA cache (4 MB for one that thrashes); compiling a typical check takes ~0.1 ms. */
const CHECK = new Script('compile(pattern, flags).test(text)');

export class BoundedRegex {
  private readonly context: Context = createContext({ compile: compileCheckRegex, pattern: '', flags: '', text: '' });
  /** Patterns that ran out of time once are not run again: a second timeout would cost the same. One per run. */
  private readonly slow = new Set<string>();
  private spentMs = 0;

  constructor(
    private readonly deadlineMs = REGEX_DEADLINE_MS,
    private readonly budgetMs = RUN_REGEX_BUDGET_MS,
  ) {
    // A process's first match also compiles re2js's own code (~20 ms measured), so it runs without a
    // deadline here; later warm-ups cost a normal check.
    Object.assign(this.context, { pattern: '^(?:\\w+|[.-])\\s*(x|y)?\\b.*$', flags: 'ims', text: 'warm up\nx' });
    CHECK.runInContext(this.context);
  }

  test(pattern: string, flags: string, text: string): RegexOutcome {
    const key = `${flags}/${pattern}`;
    if (this.slow.has(key) || this.slow.size >= MAX_TIMEOUTS || this.spentMs >= this.budgetMs) return 'timeout';
    Object.assign(this.context, { pattern, flags, text });
    const began = performance.now();
    try {
      return CHECK.runInContext(this.context, { timeout: this.deadlineMs }) === true;
    } catch (err) {
      // A run stored before RE2 may hold a pattern it cannot run.
      if (err instanceof RegexRefused) return { refused: err.message };
      this.slow.add(key);
      return 'timeout';
    } finally {
      this.spentMs += performance.now() - began;
      this.context.text = '';
    }
  }
}
