/** The page is served shared/ (the server's own math) as it is, beside web/. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

it('serves shared/ at /shared/ as JavaScript the browser revalidates', async () => {
  for (const file of ['numbers.js', 'batch-metrics.js', 'elo.js']) {
    const res = await fetch(`${server.url}/shared/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toBe(readFileSync(new URL(`../../shared/${file}`, import.meta.url), 'utf8'));
  }
  expect((await fetch(`${server.url}/shared/missing.js`)).status).toBe(404);
});

it("serves the feature stylesheets as one styles.css, in web/styles.css's order", async () => {
  const res = await fetch(`${server.url}/styles.css`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/css/);
  expect(res.headers.get('cache-control')).toBe('no-cache');
  const css = await res.text();
  expect(css).not.toContain('@import');
  const files = [...readFileSync(new URL('../../web/styles.css', import.meta.url), 'utf8').matchAll(/@import url\('\.\/([^']+)'\);/g)].map((m) => m[1]!);
  expect(files).toEqual(['shell/shell.css', 'models/models.css', 'usage/usage.css', 'research/research.css', 'batch/batch.css', 'gateway/gateway.css']);
  const at = files.map((f) => css.indexOf(readFileSync(new URL(`../../web/${f}`, import.meta.url), 'utf8').trimEnd()));
  expect(at.every((i) => i >= 0)).toBe(true);
  expect([...at].sort((a, b) => a - b)).toEqual(at);
});
