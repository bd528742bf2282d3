import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import { staticSite } from '../../../server/http/static-site.js';
import { listen, type Listening } from '../../helpers/listen.js';
import { makeTempDir, type TempDir } from '../../helpers/temp-dir.js';

const MAP_A = '{"imports":{"preact":"./vendor/preact/preact.module.js"}}';
const MAP_B = '\n  {"imports":{"htm":"./vendor/htm/htm.module.js"}}\n';
const HTML = `<!doctype html><html><head>
<script type="importmap">${MAP_A}</script>
<script type="importmap">${MAP_B}</script>
<script type="module" src="app.js"></script></head><body></body></html>`;
const sha = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;

let dir: TempDir;
let running: Listening;
let hashes: string[];

beforeAll(async () => {
  dir = await makeTempDir();
  await writeFile(join(dir.path, 'index.html'), HTML);
  await writeFile(join(dir.path, 'app.js'), 'export const app = 1;\n');
  // The served stylesheet: styles.css with its @import lines replaced by the files they name.
  await writeFile(join(dir.path, 'styles.css'), "@import url('./shell.css');\n.after { color: red; }\n");
  await writeFile(join(dir.path, 'shell.css'), '.shell { margin: 0; }\n');
  await mkdir(join(dir.path, 'views'));
  await writeFile(join(dir.path, 'views', 'index.html'), 'not served as a folder index');
  const site = staticSite(dir.path);
  hashes = site.scriptHashes;
  const app = express();
  app.use(site.router);
  app.use((_req, res) => void res.status(404).send('fell through'));
  running = await listen(app);
});
afterAll(async () => {
  await running.close();
  await dir.cleanup();
});

describe('the stylesheet', () => {
  it('is served as one file, each @import replaced by the file it names, in order, revalidated', async () => {
    const res = await fetch(`${running.url}/styles.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/css/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toBe('.shell { margin: 0; }\n.after { color: red; }\n');
  });
});

describe('staticSite', () => {
  it('hashes each inline import map for the CSP, exactly as written', () => {
    expect(hashes).toEqual([sha(MAP_A), sha(MAP_B)]);
  });

  it('serves the page at / and /index.html, revalidated on every load', async () => {
    for (const path of ['/', '/index.html']) {
      const res = await fetch(`${running.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(HTML);
    }
  });

  it('serves web files with no-cache and answers a revalidation with 304', async () => {
    const res = await fetch(`${running.url}/app.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toBe('export const app = 1;\n');
    // fetch() marks a conditional request no-store; node:http sends it as a browser revalidating would.
    const status = await new Promise<number | undefined>((resolve, reject) =>
      get(`${running.url}/app.js`, { headers: { 'If-None-Match': res.headers.get('etag')! } }, (r) => {
        r.resume();
        resolve(r.statusCode);
      }).on('error', reject),
    );
    expect(status).toBe(304);
  });

  it('serves the vendored browser modules from node_modules, cached a day', async () => {
    for (const path of ['/vendor/preact/preact.module.js', '/vendor/preact/hooks.module.js', '/vendor/htm/htm.module.js']) {
      const res = await fetch(`${running.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
      expect((await res.text()).length).toBeGreaterThan(100);
    }
  });

  it('passes on what it does not have, and serves no folder index', async () => {
    for (const path of ['/missing.js', '/views/', '/vendor/preact/other.js']) {
      const res = await fetch(`${running.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toBe('fell through');
    }
  });

  it('throws when the folder has no index.html', () => {
    expect(() => staticSite(join(dir.path, 'views', 'none'))).toThrow(/ENOENT/);
  });
});
