/**
 * The research page's browser tests: the real app on a prepared state.json (its model and
 * literature on a closed loopback port, so nothing leaves the machine and no run starts) and
 * Chromium. Registers its own hooks; call it inside a describe.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchBrowser, pageSessionHeaders, watchForErrors } from './browser.js';
import { makeTempDir, type TempDir } from './temp-dir.js';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.js';

export const CLOSED = 'http://127.0.0.1:9';

export function researchPage(opts: { prefix: string; write: (dataDir: string) => Promise<void>; config: TestServerOptions['config']; waitMs: number }) {
  let dir: TempDir;
  let browser: Browser;
  let server: TestServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    dir = await makeTempDir(opts.prefix);
    await opts.write(dir.path);
    [browser, server] = await Promise.all([
      launchBrowser(),
      startTestServer({ dataDir: dir.path, env: { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: `${CLOSED}/v1` }, config: opts.config }),
    ]);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await dir?.cleanup();
  });

  return {
    get server(): TestServer {
      return server;
    },
    /** A fresh browser context at this width and colour scheme, on the app's `path` (a hash route). */
    async open(path: string, width: number, colorScheme: 'light' | 'dark') {
      const context = await browser.newContext({ viewport: { width, height: width > 400 ? 900 : 760 }, colorScheme });
      contexts.push(context);
      context.setDefaultTimeout(opts.waitMs);
      const page = await context.newPage();
      const errors = await watchForErrors(page);
      await page.goto(`${server.url}/${path}`);
      return { page, errors };
    },
    /** Makes the page's session the run's owner (a fixture's run belongs to a session no browser holds), then loads it again. */
    async becomeOwner(page: Page, runId: string) {
      await page.getByTestId('run').waitFor();
      const token = (await pageSessionHeaders(page, server.url))['X-Session-ID']!;
      server.store.update((s) => void (s.research_runs[runId]!.session_id = token.slice(0, token.lastIndexOf('.'))));
      await page.reload();
      await page.locator('[data-testid="run"][data-owner="true"]').waitFor();
    },
  };
}
