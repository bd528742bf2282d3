import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';

/** The browser modules the page imports through its import map, served from node_modules (no CDN). */
const VENDOR: Record<string, [pkg: string, file: string]> = {
  '/vendor/preact/preact.module.js': ['preact', 'dist/preact.module.js'],
  '/vendor/preact/hooks.module.js': ['preact', 'hooks/dist/hooks.module.js'],
  '/vendor/htm/htm.module.js': ['htm', 'dist/htm.module.js'],
};

export interface StaticSite {
  router: Router;
  /** CSP hashes of the page's inline scripts (the import map). */
  scriptHashes: string[];
}

/**
 * Serves web/ (no build step), shared/ (the modules the server imports too: percentiles, batch
 * metrics, Elo) at /shared/, and the vendored modules; the page's inline import map is hashed for the CSP.
 */
export function staticSite(webDir: string, sharedDir = join(webDir, '..', 'shared')): StaticSite {
  const html = readFileSync(join(webDir, 'index.html'), 'utf8');
  const scriptHashes = [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map(
    (m) => `sha256-${createHash('sha256').update(m[1]!).digest('base64')}`,
  );
  const router = Router();
  const sendIndex: express.RequestHandler = (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('html').send(html);
  };
  router.get(['/', '/index.html'], sendIndex);
  const styles = stylesheet(webDir);
  router.get('/styles.css', (_req, res) => void res.set('Cache-Control', 'no-cache').type('css').send(styles));

  for (const [url, [pkg, file]] of Object.entries(VENDOR)) {
    const path = join(packageRoot(pkg), file);
    router.get(url, (_req, res) => res.sendFile(path, { maxAge: '1d' }));
  }
  // No fingerprinted names without a build step, so revalidate (cheap 304s) instead of caching blind.
  const revalidate = { index: false, maxAge: 0, setHeaders: (res: express.Response) => res.set('Cache-Control', 'no-cache') };
  router.use('/shared', express.static(sharedDir, revalidate));
  router.use(express.static(webDir, revalidate));
  return { router, scriptHashes };
}

/**
 * web/styles.css with its `@import url('./…')` lines replaced by the files they name (one per
 * feature), so the page loads its styles in one request without a build step.
 */
export function stylesheet(webDir: string): string {
  const index = readFileSync(join(webDir, 'styles.css'), 'utf8');
  return index.replace(/^@import url\('\.\/([^']+)'\);$/gm, (_line, file: string) => readFileSync(join(webDir, file), 'utf8').trimEnd());
}

/** A package's folder, found from its entry point (htm does not export its package.json). */
function packageRoot(pkg: string): string {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(pkg));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== pkg) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the folder of package ${pkg}`);
    dir = parent;
  }
  return dir;
}
