import { createContext, runInContext } from 'node:vm';
import { BoundedRegex, compileCheckRegex, REGEX_DEADLINE_MS } from '../server/features/batch/bounded-regex.js';

/**
 * n regex checks of (a|a)*$ on a `chars`-long answer, as a run makes them (compiled per check,
 * under the vm deadline), and the matching alone. Before RE2 each check backtracked until the
 * deadline: the ceiling was n × REGEX_DEADLINE_MS; one such native run is timed to show it.
 */
export function regexChecks(n = 1000, chars = 10_000) {
  const pattern = '(a|a)*$';
  const text = `${'a'.repeat(chars - 1)}!`;
  // The watchdog costs the same whatever the deadline; a long one keeps a loaded machine from skipping checks.
  const bounded = new BoundedRegex(1000);
  let t = performance.now();
  for (let i = 0; i < n; i++) if (bounded.test(pattern, '', text) !== true) throw new Error('wrong answer');
  const checksMs = performance.now() - t;
  const re = compileCheckRegex(pattern, '');
  t = performance.now();
  for (let i = 0; i < n; i++) re.test(text);
  const matchMs = performance.now() - t;
  t = performance.now();
  try {
    runInContext('new RegExp(pattern).test(text)', createContext({ pattern, text }), { timeout: REGEX_DEADLINE_MS });
  } catch {
    // the deadline, as expected
  }
  const nativeMs = performance.now() - t;
  return { n, chars, checksMs, matchMs, ceilingMs: n * REGEX_DEADLINE_MS, nativeMs };
}
