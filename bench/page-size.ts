import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { stylesheet } from '../server/http/static-site.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'web');
const STYLES = join(WEB, 'styles.css');
/** The import map's bare names, as static-site.ts serves them from node_modules. */
const VENDOR: Record<string, string> = {
  preact: 'node_modules/preact/dist/preact.module.js',
  'preact/hooks': 'node_modules/preact/hooks/dist/hooks.module.js',
  htm: 'node_modules/htm/dist/htm.module.js',
};

export interface PageSize {
  /** The shell every visit loads: index.html, its stylesheets and icon, and the entry module's static imports. */
  initial: { files: number; rawKb: number; gzipKb: number };
  /** The shell plus the heaviest tab view (views load when their tab opens). */
  heaviestVisit: { tab: string; gzipKb: number };
  /** Everything the page may ever load, modules fetched on demand (import()) included. */
  all: { files: number; rawKb: number; gzipKb: number };
}

export async function pageSize(): Promise<PageSize> {
  // What index.html itself names: stylesheets, the icon and the entry module (paths relative to web/).
  const index = await readFile(join(WEB, 'index.html'), 'utf8');
  const named = (re: RegExp) => [...index.matchAll(re)].map((m) => join(WEB, m[1]!));
  const initial = new Set([join(WEB, 'index.html'), ...named(/<link rel="(?:stylesheet|icon)" href="\.\/([^"]+)"/g)]);
  for (const entry of named(/<script type="module" src="\.\/([^"]+)"/g)) await followImports(entry, initial);
  const files = await listFiles(WEB);
  const shared = await listFiles(join(ROOT, 'shared'));
  // The feature stylesheets reach the page inside styles.css, as the server serves it.
  const all = new Set([...files.filter((f) => !f.endsWith('.css') || f === STYLES), ...shared, ...Object.values(VENDOR).map((f) => join(ROOT, f))]);
  let heaviestVisit = { tab: '', gzipKb: 0 };
  // Each tab's view (web/<feature>/tab.js, or <name>-tab.js where a feature has two) loads when its tab opens.
  for (const view of files.filter((f) => /(^|[/-])tab\.js$/.test(f.slice(WEB.length)))) {
    const visit = new Set(initial);
    await followImports(view, visit);
    const { gzipKb } = await measure(visit);
    if (gzipKb > heaviestVisit.gzipKb) heaviestVisit = { tab: view.slice(WEB.length + 1), gzipKb };
  }
  return { initial: await measure(initial), heaviestVisit, all: await measure(all) };
}

/** Adds a module and everything it imports statically; `import()` is on demand and left out. */
async function followImports(file: string, seen: Set<string>): Promise<void> {
  if (seen.has(file)) return;
  seen.add(file);
  const text = await readFile(file, 'utf8');
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;()]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gm)) {
    const spec = m[1] ?? m[2]!;
    const target = VENDOR[spec] ? join(ROOT, VENDOR[spec]) : resolve(dirname(file), spec);
    await followImports(target, seen);
  }
}

async function measure(files: Set<string>) {
  let raw = 0;
  let gz = 0;
  for (const file of files) {
    const body = file === STYLES ? Buffer.from(stylesheet(WEB)) : await readFile(file);
    raw += body.length;
    gz += gzipSync(body, { level: 6 }).length;
  }
  return { files: files.size, rawKb: raw / 1024, gzipKb: gz / 1024 };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)])));
  return nested.flat().filter((f) => /\.(html|js|css|svg)$/.test(f));
}
