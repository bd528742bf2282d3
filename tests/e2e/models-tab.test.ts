import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, watchForErrors } from '../helpers/browser.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib, so name what they touch.
declare const document: { scrollingElement: { scrollWidth: number } | null };

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const WAIT_MS = 15_000;

interface CatalogModel {
  id: string;
  name: string;
  provider: string;
  price_per_1m: { input: number; output: number } | null;
  free: boolean;
  allowed: boolean;
  tier: 'anonymous' | 'byok' | 'unavailable';
}
interface CatalogBody {
  source: 'live' | 'snapshot';
  missing_allowed: string[];
  models: CatalogModel[];
}

// A whitelist like a Space owner's: free and paid models, one the provider no longer lists, and
// a tier split so that both "Everyone" and "Your key" show.
const GONE = 'retired/old-model';
const WHITELIST = [
  'meta-llama/llama-3.3-70b-instruct:free',
  'qwen/qwen3-30b-a3b:free',
  'openai/gpt-5-nano',
  'google/gemini-2.5-flash-lite',
  'openai/gpt-4o-mini',
  'deepseek/deepseek-chat-v3.1',
  GONE,
];
const ANONYMOUS = ['meta-llama/llama-3.3-70b-instruct:free', 'openai/gpt-4o-mini'];

const ROWS = '[data-testid="catalog-table"] tbody tr';

describeBrowser('models tab', () => {
  let browser: Browser;
  let server: TestServer;
  let upstream: FakeUpstream;
  let live: TestServer;
  let catalog: CatalogBody;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    [browser, server, live] = await Promise.all([
      launchBrowser(),
      startTestServer({ config: { cost_control: { allowed_models: { development: WHITELIST }, tiers: { anonymous: ANONYMOUS } } } }),
      startTestServer({ catalogUrl: upstream.url }),
    ]);
    // Every expected number comes from the API the page reads, never from memory of the snapshot.
    catalog = (await (await fetch(`${server.url}/api/models`)).json()) as CatalogBody;
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.close(), live?.close(), upstream?.close()]);
  });

  async function open(opts: { server?: TestServer; viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {}) {
    const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 }, colorScheme: opts.colorScheme ?? 'light' });
    contexts.push(context);
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    const errors = await watchForErrors(page);
    await page.goto(`${(opts.server ?? server).url}/#/models`);
    await page.getByTestId('catalog-count').waitFor();
    return { page, errors };
  }

  /** Waits until the count line says "<shown> of <total> models", then returns the ids of the rows in order. */
  async function expectCount(page: Page, shown: number, total = catalog.models.length) {
    await page
      .getByTestId('catalog-count')
      .filter({ hasText: new RegExp(`^\\s*${shown.toLocaleString('en-US')}\\s+of\\s+${total.toLocaleString('en-US')} models\\s*$`) })
      .waitFor();
    const ids = await page.locator(ROWS).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
    expect(ids).toHaveLength(shown);
    return ids;
  }

  const byId = (id: string) => catalog.models.find((m) => m.id === id)!;
  const cell = (page: Page, id: string, column: string) => page.locator(`${ROWS}[data-id="${id}"] .catalog-${column}`);

  it('opens on the snapshot, allowed models first, and the filters narrow the list as the API says', async () => {
    const { page, errors } = await open();
    expect(catalog.source).toBe('snapshot');
    expect(await page.getByTestId('catalog-source').textContent()).toMatch(/^Shipped snapshot of 25 Oct 2025/);

    const allowedOnly = page.getByLabel('Allowed here only');
    expect(await allowedOnly.isChecked()).toBe(true);
    const allowed = catalog.models.filter((m) => m.allowed);
    expect(allowed.length).toBe(WHITELIST.length - 1); // all but the one that is gone
    expect(new Set(await expectCount(page, allowed.length))).toEqual(new Set(allowed.map((m) => m.id)));

    // Tiers read as words, and the check marks follow the whitelist.
    expect(await cell(page, 'openai/gpt-4o-mini', 'tier').textContent()).toBe('Everyone');
    expect(await cell(page, 'openai/gpt-5-nano', 'tier').textContent()).toBe('Your key');
    expect(await page.locator(`${ROWS} .catalog-check`).count()).toBe(allowed.length);

    // The whitelisted model the provider no longer lists is called out.
    expect(catalog.missing_allowed).toEqual([GONE]);
    expect(await page.getByTestId('missing-allowed').textContent()).toContain(GONE);

    await allowedOnly.uncheck();
    await expectCount(page, catalog.models.length);

    await page.getByLabel('Free only').check();
    const free = catalog.models.filter((m) => m.free);
    expect(free.length).toBeGreaterThan(0);
    expect(new Set(await expectCount(page, free.length))).toEqual(new Set(free.map((m) => m.id)));
    expect(await page.locator(`${ROWS} .catalog-input`).evaluateAll((els) => els.every((e) => e.textContent?.trim() === 'free'))).toBe(true);

    // The provider list counts what the checkboxes leave.
    const provider = free[0]!.provider;
    const perProvider = free.filter((m) => m.provider === provider).length;
    await page.getByLabel('Provider').selectOption(provider);
    expect(await page.locator(`#catalog-provider option[value="${provider}"]`).textContent()).toBe(`${provider} (${perProvider})`);
    await expectCount(page, perProvider);
    expect(errors).toEqual([]);
  });

  it('finds gpt-4o-mini by search, with its price per 1M tokens', async () => {
    const { page, errors } = await open();
    await page.getByLabel('Allowed here only').uncheck();
    await page.getByRole('searchbox', { name: 'Search' }).fill('gpt-4o-mini');
    const matches = catalog.models.filter((m) => `${m.name}\n${m.id}\n${m.provider}`.toLowerCase().includes('gpt-4o-mini'));
    const ids = await expectCount(page, matches.length);
    expect(ids).toContain('openai/gpt-4o-mini');
    expect(byId('openai/gpt-4o-mini').price_per_1m).toEqual({ input: 0.15, output: 0.6 });
    expect(await cell(page, 'openai/gpt-4o-mini', 'input').textContent()).toBe('$0.15');
    expect(await cell(page, 'openai/gpt-4o-mini', 'output').textContent()).toBe('$0.60');
    expect(await cell(page, 'openai/gpt-4o-mini', 'name').textContent()).toContain('openai/gpt-4o-mini');

    await page.getByRole('searchbox', { name: 'Search' }).fill('no such model anywhere');
    await page.getByTestId('catalog-empty').waitFor();
    await page.getByTestId('catalog-empty').getByRole('button', { name: 'Clear the filters' }).click();
    await expectCount(page, catalog.models.length);
    expect(errors).toEqual([]);
  });

  it('sorts by price in from the column header, both ways, by mouse and by keyboard', async () => {
    const { page, errors } = await open();
    await page.getByLabel('Allowed here only').uncheck();
    await expectCount(page, catalog.models.length);
    const priced = catalog.models.filter((m) => m.price_per_1m !== null).map((m) => m.price_per_1m!.input);
    const header = page.locator('th:has(button[data-sort="input"])');
    expect(await header.getAttribute('aria-sort')).toBeNull();

    await header.getByRole('button').click();
    await page.locator('th[aria-sort="ascending"] button[data-sort="input"]').waitFor();
    const cheapest = (await expectCount(page, catalog.models.length))[0]!;
    expect(byId(cheapest).price_per_1m?.input).toBe(Math.min(...priced));

    // Enter on the focused header button reverses the order.
    await header.getByRole('button').focus();
    await page.keyboard.press('Enter');
    await page.locator('th[aria-sort="descending"] button[data-sort="input"]').waitFor();
    const dearest = (await expectCount(page, catalog.models.length))[0]!;
    expect(byId(dearest).price_per_1m?.input).toBe(Math.max(...priced));
    expect(await page.locator('th[aria-sort]').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('prices one call: 1,000,000 tokens in and none out costs the price per 1M input tokens', async () => {
    const { page, errors } = await open();
    await page.getByLabel('Allowed here only').uncheck();
    await page.getByLabel('Tokens in').fill('1000000');
    await page.getByLabel('Tokens out').fill('0');
    await page.locator('.th-note', { hasText: '1,000,000 in · 0 out' }).waitFor();
    await expectCount(page, catalog.models.length);
    expect(await cell(page, 'openai/gpt-4o-mini', 'cost').textContent()).toBe('$0.15');
    // Every row: the cost of the call reads exactly as the price per 1M input tokens.
    const pairs = await page
      .locator(ROWS)
      .evaluateAll((rows) => rows.map((r) => [r.querySelector('.catalog-input')!.textContent!.trim(), r.querySelector('.catalog-cost')!.textContent!.trim()]));
    for (const [input, cost] of pairs) expect(cost).toBe(input);

    // Sorting by the cost of one call puts the cheapest paid call first after the free ones.
    await page.locator('button[data-sort="cost"]').click();
    const ids = await expectCount(page, catalog.models.length);
    const costs = ids.map((id) => byId(id).price_per_1m?.input ?? Infinity);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));

    // Nonsense keeps the last good size and says why.
    await page.getByLabel('Tokens in').fill('lots');
    await page.locator('#catalog-tokens-in[aria-invalid="true"]').waitFor();
    expect(await page.locator('.th-note').textContent()).toBe('1,000,000 in · 0 out');
    expect(errors).toEqual([]);
  });

  it('refreshes from the provider: the status turns live and the new models show', async () => {
    const { page, errors } = await open({ server: live });
    const refresh = page.getByRole('button', { name: 'Refresh' });
    await refresh.click();
    await page.getByTestId('catalog-result').filter({ hasText: /\S/ }).waitFor();
    expect(await refresh.isEnabled()).toBe(true);
    expect(await page.getByTestId('catalog-source').textContent()).toMatch(/^Live from the provider, fetched less than a minute ago/);

    // The fake models are on no whitelist: the page says so and offers the whole list.
    const empty = page.getByTestId('catalog-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('not allowed any models');
    await empty.getByRole('button', { name: 'Show all models' }).click();
    expect(await expectCount(page, 2, 2)).toEqual(['test/cheap-model', 'test/free-model']); // by name: Test Cheap Model, Test Free Model
    expect(await cell(page, 'test/cheap-model', 'input').textContent()).toBe('$0.10');
    expect(await cell(page, 'test/free-model', 'cost').textContent()).toBe('free');
    expect(upstream.requests.some((r) => r.path === '/v1/models')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows a failed refresh as a friendly message, and the button is busy while it runs', async () => {
    const { page } = await open();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/models/refresh', async (route) => {
      await held;
      await route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'upstream_unavailable', message: 'The provider did not answer.' } }),
      });
    });
    await page.getByRole('button', { name: 'Refresh' }).click();
    const busy = page.getByRole('button', { name: 'Refreshing…' });
    await busy.waitFor();
    expect(await busy.isDisabled()).toBe(true);
    expect(await busy.getAttribute('aria-busy')).toBe('true');
    release();
    const result = page.getByTestId('catalog-result');
    await result.filter({ hasText: 'The provider did not answer.' }).waitFor();
    expect(await result.getAttribute('data-tone')).toBe('error');
    expect(await result.textContent()).toContain('(upstream_unavailable)');
    expect(await page.getByRole('button', { name: 'Refresh' }).isEnabled()).toBe(true);

    // A server without the route yet answers 404: that reads as "not available", not as a crash.
    await page.unroute('**/api/models/refresh');
    await page.route('**/api/models/refresh', (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ error: { code: 'not_found', message: 'No such route.' } }) }),
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    await result.filter({ hasText: 'Refreshing is not available on this server yet' }).waitFor();
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`fits a 375 px phone as cards, without sideways scrolling (${colorScheme})`, async () => {
      const { page, errors } = await open({ viewport: { width: 375, height: 740 }, colorScheme });
      await page.getByLabel('Allowed here only').uncheck();
      await expectCount(page, catalog.models.length);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(375);
      // The column headers give way to a sort picker.
      expect(await page.locator('[data-testid="catalog-table"] thead').isVisible()).toBe(false);
      await page.getByLabel('Sort by').selectOption('input');
      await page.getByRole('button', { name: /Cheapest first/ }).waitFor();
      const first = (await expectCount(page, catalog.models.length))[0]!;
      expect(byId(first).price_per_1m?.input).toBe(Math.min(...catalog.models.filter((m) => m.price_per_1m).map((m) => m.price_per_1m!.input)));
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(375);
      expect(errors).toEqual([]);
    });
  }
});
