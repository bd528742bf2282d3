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
