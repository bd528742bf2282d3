import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, watchForErrors } from '../helpers/browser.js';
import type { JobHandler } from '../../server/core/jobs/job-types.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

// Callbacks given to page.evaluate run in the browser. The project's tsconfig has no DOM lib (it is
// for Node), so this file names the few page globals it touches; these declarations stay in this module.
declare const window: { location: { hash: string } };
declare const localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
declare const document: {
  documentElement: { dataset: Record<string, string | undefined> };
  activeElement: { id: string; getAttribute(name: string): string | null } | null;
  scrollingElement: { scrollWidth: number } | null;
};

// A real browser on a busy CI machine is slow to start; each wait below fails on its own well before this.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const WAIT_MS = 15_000;

const TABS = [
  { id: 'research', name: 'Research' },
  { id: 'batch', name: 'Batch tests' },
  { id: 'models', name: 'Models' },
  { id: 'usage', name: 'Usage' },
  { id: 'about', name: 'About' },
];
const KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';
const LIVE_WS = '.live[data-state="connected"][data-transport="ws"]';

/** A job kind that runs until the test lets it finish, so the queue has something to show. */
const held: Array<() => void> = [];
const hold: JobHandler = (ctx) =>
  new Promise((resolve) => {
    held.push(() => resolve(null));
    ctx.signal.addEventListener('abort', () => resolve(null));
  });

describeBrowser('page shell', () => {
  let browser: Browser;
  let dataOnly: TestServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [browser, dataOnly] = await Promise.all([launchBrowser(), startTestServer({ jobHandlers: { hold } })]);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await dataOnly?.close();
  });

  async function open(
    path = '/',
    opts: { server?: TestServer; viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark'; before?: (page: Page) => Promise<unknown> } = {},
  ) {
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 }, colorScheme: opts.colorScheme ?? 'light' });
    contexts.push(context);
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    const errors = await watchForErrors(page);
    await opts.before?.(page);
    const response = await page.goto(`${(opts.server ?? dataOnly).url}${path}`);
    return { page, errors, response };
  }

  /** A job starts and ends on the server; the footer follows it live. */
  async function expectQueueToFollow(page: Page) {
    await page.getByText('0 running · 0 queued').waitFor();
    dataOnly.app.jobs.enqueue('hold', {}, null);
    await page.getByText('1 running · 0 queued').waitFor();
    held.splice(0).forEach((release) => release());
    await page.getByText('0 running · 0 queued').waitFor();
  }

  /** The one tab panel on show, and which tab says it is selected. */
  async function shownTab(page: Page) {
    const panels = await page.locator('[role="tabpanel"]:visible').evaluateAll((els) => els.map((e) => e.id));
    const selected = await page.locator('[role="tab"][aria-selected="true"]').evaluateAll((els) => els.map((e) => e.id));
    const hash = await page.evaluate(() => window.location.hash);
    return { panels, selected, hash };
  }

  it('loads under the strict CSP without a console error, and goes live over WebSocket, and follows the job queue', async () => {
    const { page, errors, response } = await open();
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'sha256-[^']+'/);
    await page.locator(LIVE_WS).waitFor();
    await page.locator('[role="tabpanel"] h2', { hasText: 'Research' }).waitFor();
    await expectQueueToFollow(page);
    expect(await page.locator('.live').getAttribute('aria-live')).toBeNull(); // the inner status region speaks, not the countdown
    expect(await page.locator('.live [role="status"]').getAttribute('aria-live')).toBe('polite');
    expect(await page.locator('.live-text').textContent()).toBe('Live');
    expect(await page.locator('.badge').textContent()).toContain('Data-only');
    expect(errors).toEqual([]);
  });

  it('switches all five tabs by click, with the hash following', async () => {
    const { page, errors } = await open();
    for (const tab of [...TABS.slice(1), TABS[0]!]) {
      await page.getByRole('tab', { name: tab.name }).click();
      await page.locator(`#tab-${tab.id}[aria-selected="true"]`).waitFor();
      await page.locator(`#panel-${tab.id} h2`).waitFor();
      expect(await shownTab(page)).toEqual({ panels: [`panel-${tab.id}`], selected: [`tab-${tab.id}`], hash: `#/${tab.id}` });
    }
    expect(errors).toEqual([]);
  });

  it('moves between tabs with the arrow keys, Home and End (roving tabindex)', async () => {
    const { page } = await open('/#/research');
    await page.getByRole('tab', { name: 'Research' }).focus();
    const steps: Array<[key: string, id: string]> = [
      ['ArrowRight', 'batch'],
      ['ArrowRight', 'models'],
      ['End', 'about'],
      ['ArrowRight', 'research'], // wraps around
      ['ArrowLeft', 'about'],
      ['Home', 'research'],
    ];
    for (const [key, id] of steps) {
      await page.keyboard.press(key);
      await page.locator(`#tab-${id}[aria-selected="true"]`).waitFor();
      expect(await shownTab(page)).toEqual({ panels: [`panel-${id}`], selected: [`tab-${id}`], hash: `#/${id}` });
      expect(await page.evaluate(() => document.activeElement?.id)).toBe(`tab-${id}`);
      const tabindexes = await page.locator('[role="tab"]').evaluateAll((els) => els.map((e) => e.getAttribute('tabindex')));
      expect(tabindexes.filter((t) => t === '0')).toHaveLength(1);
    }
  });

  it('routes #/research/<id> to the Research tab and keeps the id', async () => {
    const { page } = await open('/#/research/run_abc123');
    await page.getByTestId('shared-run').waitFor();
    expect(await page.getByTestId('shared-run').textContent()).toContain('run_abc123');
    expect((await shownTab(page)).selected).toEqual(['tab-research']);
  });

  it('keeps a bring-your-own key across reloads, shows it masked, and sends it on every /api call', async () => {
    const { page, errors } = await open();
    await page.locator(LIVE_WS).waitFor();
    const settings = page.getByRole('button', { name: 'Settings', exact: true });
    await settings.click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'byok-input');
    expect(await page.locator('#byok-input').getAttribute('type')).toBe('password');

    // A wrong paste is caught before anything is stored.
    await page.locator('#byok-input').fill('not a key');
    await dialog.getByRole('button', { name: 'Save key' }).click();
    await page.locator('#byok-error').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('labcoat.byok'))).toBeNull();

    await page.locator('#byok-input').fill(KEY);
    await dialog.getByRole('button', { name: 'Show' }).click();
    await page.locator('#byok-input[type="text"]').waitFor();
    await dialog.getByRole('button', { name: 'Save key' }).click();
    await page.getByTestId('masked-key').waitFor();
    expect(await page.getByTestId('masked-key').textContent()).toBe('sk-or-…cdef');
    expect(await dialog.textContent()).not.toContain(KEY);
    await page.locator('.badge[data-mode="byok"]').waitFor();
    expect(await page.locator('.badge').textContent()).toContain('Your key');
    expect(await page.locator('[data-testid="data-only-banner"]').count()).toBe(0);

    // Esc closes the dialog and hands focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-label') === 'Settings');

    const requests: Array<Promise<Record<string, string>>> = [];
    page.on('request', (req) => {
      if (new URL(req.url()).pathname.startsWith('/api/')) requests.push(req.allHeaders());
    });
    await page.reload();
    await page.locator(LIVE_WS).waitFor();
    await page.locator('.badge[data-mode="byok"]').waitFor();
    const apiHeaders = await Promise.all(requests);
    expect(apiHeaders.length).toBeGreaterThan(0);
    for (const headers of apiHeaders) expect(headers.authorization).toBe(`Bearer ${KEY}`);
    // The session id the server issued on the first visit comes back as a header (iframes may drop the cookie).
    expect(apiHeaders[0]!['x-session-id']).toBe(await page.evaluate(() => localStorage.getItem('labcoat.session')));

    await settings.click();
    expect(await page.getByTestId('masked-key').textContent()).toBe('sk-or-…cdef');
    await dialog.getByRole('button', { name: 'Remove' }).click();
    expect(await page.evaluate(() => localStorage.getItem('labcoat.byok'))).toBeNull();
    await page.locator('.badge[data-mode="data-only"]').waitFor();
    expect(errors).toEqual([]);
  });

  it('explains data-only mode without a server key, and offers to duplicate a Space', async () => {
    const space = await startTestServer({ env: { SPACE_ID: 'lab/labcoat' } });
    try {
      const local = await open();
      const banner = local.page.getByTestId('data-only-banner');
      await banner.waitFor();
      expect(await banner.textContent()).toContain('OPENROUTER_API_KEY');
      expect(await banner.getByRole('link', { name: /Duplicate this Space/ }).count()).toBe(0);
      await banner.getByRole('button', { name: 'Add your key' }).click();
      await local.page.getByRole('dialog', { name: 'Settings' }).waitFor();

      const { page, errors } = await open('/', { server: space });
      const duplicate = page.getByTestId('data-only-banner').getByRole('link', { name: /Duplicate this Space/ });
      await duplicate.waitFor();
      expect(await duplicate.getAttribute('href')).toBe('https://huggingface.co/spaces/lab/labcoat?duplicate=true');
      expect(await duplicate.getAttribute('target')).toBe('_blank');
      expect(await duplicate.getAttribute('rel')).toContain('noopener');
      expect(errors).toEqual([]);
    } finally {
      await space.close();
    }
  });

  it('shows Inference when the server has a key, and says so when visitors may not bring theirs', async () => {
    const keyed = await startTestServer({ env: { OPENROUTER_API_KEY: 'sk-or-server-key-for-tests' }, config: { byok: { enabled: false } } });
    try {
      // A key left over from another visit is not "Your key" where the owner turned that off.
      const { page, errors } = await open('/', { server: keyed, before: (p) => p.addInitScript((k) => localStorage.setItem('labcoat.byok', k), KEY) });
      await page.locator('.badge[data-mode="inference"]').waitFor();
      expect(await page.locator('.badge').textContent()).toContain('Inference');
      expect(await page.locator('[data-testid="data-only-banner"]').count()).toBe(0);
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await dialog.getByText("This Space does not accept visitors' keys").waitFor();
      expect(await page.locator('#byok-input').isDisabled()).toBe(true);
      expect(await dialog.getByRole('button', { name: 'Save key' }).isDisabled()).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await keyed.close();
    }
  });

  it('follows the system theme, and the toggle cycles and remembers it', async () => {
    const dark = await open('/', { colorScheme: 'dark' });
    await dark.page.locator('[role="tabpanel"] h2').first().waitFor();
    expect(await dark.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');

    const { page } = await open('/', { colorScheme: 'light' });
    const toggle = page.getByRole('button', { name: /Theme/ });
    /** Waits until <html data-theme> and the stored choice are as expected. */
    const expectTheme = (theme: string, stored: string | null) =>
      page.waitForFunction(([t, s]) => document.documentElement.dataset.theme === t && localStorage.getItem('labcoat.theme') === s, [theme, stored] as const);
    await toggle.waitFor();
    await expectTheme('light', null);
    await toggle.click(); // from the system's light, the first click shows dark
    await expectTheme('dark', 'dark');
    await page.reload();
    await toggle.waitFor();
    await expectTheme('dark', 'dark');
    await toggle.click(); // explicit light
    await expectTheme('light', 'light');
    await toggle.click(); // back to following the system...
    await expectTheme('light', null);
    await page.emulateMedia({ colorScheme: 'dark' }); // ...live
    await expectTheme('dark', null);
  });

  it('falls back to Server-Sent Events when WebSockets cannot connect', async () => {
    const { page, errors } = await open('/', { before: (p) => p.routeWebSocket(/\/ws$/, (ws) => ws.close()) });
    await page.locator('.live[data-state="connected"][data-transport="sse"]').waitFor({ timeout: 2 * WAIT_MS });
    expect(await page.locator('.live-text').textContent()).toBe('Live (SSE)');
    // The queue snapshot and its live changes arrive over the event stream too.
    await expectQueueToFollow(page);
    expect(errors).toEqual([]);
  });

  it('fits a 375 px phone without sideways scrolling, on every tab', async () => {
    const { page } = await open('/', { viewport: { width: 375, height: 740 } });
    await page.locator(LIVE_WS).waitFor();
    for (const tab of TABS) {
      await page.evaluate((id) => (window.location.hash = `#/${id}`), tab.id);
      await page.locator(`#panel-${tab.id} h2`).waitFor();
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(375);
    }
  });
});
