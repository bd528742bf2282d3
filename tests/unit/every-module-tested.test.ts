import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function files(dir: string, ext: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return files(path, ext);
    return name.endsWith(ext) ? [path] : [];
  });
}

/** Server modules some test file (or test helper) imports directly, as `server/<path>.ts`. */
function importedByTests(): Set<string> {
  const seen = new Set<string>();
  for (const file of files('tests', '.ts')) {
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(/['"](?:\.\.\/)+(server\/[\w/.-]+)\.js['"]/g)) seen.add(`${m[1]}.ts`);
  }
  return seen;
}

/** The README's list of modules reached only through HTTP: `| server/… | tests/… |` rows under its heading. */
function coveredThroughHttp(): Map<string, string> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### Modules tested through HTTP');
  expect(start, 'README.md has a "### Modules tested through HTTP" section').toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf('\n#', start + 4));
  return new Map([...section.matchAll(/^\| `(server\/[^`]+)` \| `(tests\/[^`]+)` \|/gm)].map((m) => [m[1]!, m[2]!]));
}

describe('the test tree', () => {
  it('imports every server module in a unit or integration test, or names the test that covers it through HTTP in the README', () => {
    const imported = importedByTests();
    const listed = coveredThroughHttp();
    const modules = files('server', '.ts').map((f) => relative(ROOT, join(ROOT, f)));
    const untested = modules.filter((m) => !imported.has(m) && !listed.has(m));
    expect(untested, 'import these in a test, or list them in README.md under "Modules tested through HTTP"').toEqual([]);
  });

  it('lists in the README only modules that exist, no test imports directly, and tests that exist', () => {
    const imported = importedByTests();
    for (const [module, test] of coveredThroughHttp()) {
      expect(statSync(join(ROOT, module)).isFile(), module).toBe(true);
      expect(imported.has(module), `${module} is imported by a test: drop it from the README list`).toBe(false);
      expect(statSync(join(ROOT, test)).isFile(), test).toBe(true);
    }
  });
});
