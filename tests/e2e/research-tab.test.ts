import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, pageSessionHeaders, watchForErrors } from '../helpers/browser.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { researchResponder } from '../helpers/research-fake.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib, so name what they touch.
declare const document: { scrollingElement: { scrollWidth: number } | null };

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
const WAIT_MS = 20_000;

// Both are in the shipped catalog snapshot: one free, one paid.
const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const PAID = 'openai/gpt-4o-mini';
const ALLOWED = [FREE, PAID];
const GOAL = 'Why do some people sleep better after eating fermented food?';

/** The parts of GET /api/research/runs/:id the page is compared with. */
interface RunView {
  id: string;
  state: string;
  owner: boolean;
  cycles: Array<{ state: string }>;
  hypotheses: Array<{ id: string; reviews: Array<{ references: Array<{ status: string }> }> }>;
  matches: Array<{ id: string; debate: unknown[] | null }>;
  meta_reviews: unknown[];
  overview: { ranked: unknown[] } | null;
  leaderboard: string[];
  proximity: { nodes: string[] };
}

describeBrowser('the Research tab', () => {
  let browser: Browser;
  let upstream: FakeUpstream;
  let server: TestServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream({ respond: researchResponder() });
    const whitelist = { allowed_models: { development: ALLOWED }, tiers: { anonymous: ALLOWED } };
    [browser, server] = await Promise.all([
      launchBrowser(),
      startTestServer({
        env: { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: upstream.url },
        // Literature off: the test never leaves the machine (tests/e2e/research-literature.test.ts shows a run with it).
        config: { cost_control: { ...whitelist, per_session_limit_requests: 100, requests_per_hour_per_ip: 1000 }, literature: { enabled: false } },
      }),
    ]);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.close(), upstream?.close()]);
  });

  /** A fresh visitor (its own browser context, so its own session). */
  async function open(path: string, opts: { width?: number; colorScheme?: 'light' | 'dark' } = {}) {
    const width = opts.width ?? 1280;
    const context = await browser.newContext({ viewport: { width, height: width > 400 ? 900 : 760 }, colorScheme: opts.colorScheme ?? 'light' });
    contexts.push(context);
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    const errors = await watchForErrors(page);
    await page.goto(path.startsWith('http') ? path : `${server.url}/${path}`);
    return { page, errors };
  }

  const asPage = (page: Page) => pageSessionHeaders(page, server.url);

  async function runOf(page: Page, id: string): Promise<RunView> {
    const res = await page.request.get(`${server.url}/api/research/runs/${id}`, { headers: await asPage(page) });
    expect(res.status()).toBe(200);
    return (await res.json()) as RunView;
  }

  const count = (page: Page, testid: string) => page.getByTestId(testid).count();

  /** The page shows what the API says the run holds: counts compared, never hard-coded. */
  async function expectPageShows(page: Page, run: RunView) {
    await expect.poll(() => count(page, 'hypothesis')).toBe(run.hypotheses.length);
    expect(run.hypotheses.length).toBeGreaterThan(0);
    expect(await count(page, 'leaderboard-row')).toBe(run.leaderboard.length);
    expect(await page.getByTestId('leaderboard-row').first().getAttribute('data-id')).toBe(run.leaderboard[0]);

    const matches = page.getByTestId('matches');
    expect(await matches.locator('h3').textContent()).toContain(`(${run.matches.length})`);
    const showAll = matches.getByRole('button', { name: /^Show all/ });
    if ((await showAll.count()) > 0) await showAll.click();
    await expect.poll(() => count(page, 'match')).toBe(run.matches.length);
    expect(run.matches.length).toBeGreaterThan(0);
    expect(await matches.getByText(/^Read the debate/).count()).toBe(run.matches.filter((m) => m.debate).length);

    expect(await count(page, 'meta-review')).toBe(run.meta_reviews.length);
    expect(run.meta_reviews.length).toBe(run.cycles.length);
    expect(run.overview).not.toBeNull();
    expect(await page.getByTestId('overview').locator('.overview-ranked li').count()).toBe(run.overview!.ranked.length);

    await page.getByTestId('elo-chart').waitFor();
    expect(await page.locator('[data-testid="elo-chart"] .elo-series').count()).toBeGreaterThan(0);
    await page.getByTestId('proximity-graph').waitFor();
    expect(await count(page, 'graph-node')).toBe(run.proximity.nodes.length);

    // With literature off, every reference the model names is there with its badge: unverifiable.
    const refs = run.hypotheses.flatMap((h) => h.reviews).flatMap((r) => r.references);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.every((r) => r.status === 'unverifiable')).toBe(true);
    expect(await page.locator('[data-testid="review-references"] [data-testid="reference"]').count()).toBe(refs.length);
    expect(await page.locator('[data-testid="review-references"] [data-testid="ref-badge"][data-status="unverifiable"]').count()).toBe(refs.length);
    expect(await page.getByText('unverified').count()).toBe(0);
    await page.getByTestId('literature-off').waitFor({ state: 'attached' });
    expect(await page.getByTestId('progress-status').textContent()).toBe(`Cycle ${run.cycles.length} is done.`);
  }

  it('runs a cycle from the goal box, shows what the run holds, opens read-only from its link, and runs the next cycle', async () => {
    const { page, errors } = await open('#/research');
    const form = page.getByTestId('run-planner');
    await form.getByRole('button', { name: GOAL }).click(); // an example fills the goal box
    expect(await form.getByLabel('Research goal').inputValue()).toBe(GOAL);
    await form.getByLabel('Model', { exact: true }).selectOption(FREE);
    await form.getByLabel('Cycles').fill('1');
    await form.locator('[data-testid="plan-total"]').filter({ hasText: 'free' }).waitFor();
    expect(await form.getByText('Running cycles arrives').count()).toBe(0);
    await form.getByRole('button', { name: 'Run', exact: true }).click();

    // The run's id is in the address, so a reload or a shared link opens it again.
    await page.waitForURL(/#\/research\/run_/);
    const id = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
    await page.getByTestId('progress-status').filter({ hasText: 'Cycle 1 is done.' }).waitFor();
    const run = await runOf(page, id);
    expect(run.owner).toBe(true);
    expect(run.state).toBe('idle');
    expect(run.cycles.map((c) => c.state)).toEqual(['done']);
    await expectPageShows(page, run);
    expect(await page.getByTestId('run-goal').textContent()).toBe(GOAL);
    expect(await count(page, 'read-only')).toBe(0);
    expect(await page.getByTestId('export-md').getAttribute('href')).toBe(`./api/research/runs/${id}/export?format=md`);

    // The link opens the same run for another visitor, read-only: no buttons that change it.
    const link = await page.getByTestId('share-link').inputValue();
    expect(link).toBe(`${server.url}/#/research/${id}`);
    const other = await open(link);
    await other.page.getByTestId('read-only').waitFor();
    expect((await runOf(other.page, id)).owner).toBe(false);
    await expect.poll(() => count(other.page, 'hypothesis')).toBe(run.hypotheses.length);
    for (const name of ['Run', 'Next cycle', 'Cancel', 'Resume', 'Pin', 'Drop']) {
      expect(await other.page.getByRole('button', { name, exact: true }).count()).toBe(0);
    }
    expect(await other.page.locator('.hyp-actions').count()).toBe(0);
    expect(await count(other.page, 'between-cycles')).toBe(0);

    // Next cycle: both pages follow it live, and show what the API says afterwards.
    await page.getByRole('button', { name: 'Next cycle' }).click();
    await page.getByTestId('progress-status').filter({ hasText: 'Cycle 2 is done.' }).waitFor();
    const after = await runOf(page, id);
    expect(after.cycles.map((c) => c.state)).toEqual(['done', 'done']);
    expect(after.hypotheses.length).toBeGreaterThan(run.hypotheses.length);
    await expectPageShows(page, after);
    await other.page.getByTestId('progress-status').filter({ hasText: 'Cycle 2 is done.' }).waitFor();
    await expectPageShows(other.page, after);

    // The session's history lists it.
    await page.getByRole('link', { name: /New run and your runs/ }).click();
    await page.locator(`[data-testid="history-run"][data-id="${id}"]`).waitFor();
    expect(errors).toEqual([]);
    expect(other.errors).toEqual([]);
  });

  it('shows the server’s own message when it refuses a goal', async () => {
    const { page, errors } = await open('#/research');
    const goal = 'Why do <b>bacteria</b> survive antibiotics without resistance genes?';
    const form = page.getByTestId('run-planner');
    await form.getByLabel('Research goal').fill(goal);
    const res = await page.request.post(`${server.url}/api/research/runs`, { headers: await asPage(page), data: { goal, model: FREE } });
    expect(res.status()).toBe(422);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    await form.getByTestId('plan-error').filter({ hasText: error.message }).waitFor();
    await form.getByRole('button', { name: 'Run', exact: true }).click();
    const shown = form.getByTestId('start-error');
    await shown.waitFor();
    expect(await shown.textContent()).toBe(error.message);
    // The browser itself logs the refused requests; those are expected, nothing else is.
    expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
  });

  it('fits a 375 px phone in the dark theme: start form and a finished run without sideways scrolling', async () => {
    const { page, errors } = await open('#/research', { width: 375, colorScheme: 'dark' });
    const width = () => page.evaluate(() => document.scrollingElement!.scrollWidth);
    await page.getByTestId('plan-total').waitFor();
    await page.getByText('Advanced settings').click();
    expect(await width()).toBeLessThanOrEqual(375);

    const res = await page.request.post(`${server.url}/api/research/runs`, { headers: await asPage(page), data: { goal: GOAL, model: FREE } });
    expect(res.status()).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await page.goto(`${server.url}/#/research/${id}`);
    await page.getByTestId('progress-status').filter({ hasText: 'Cycle 1 is done.' }).waitFor();
    await page.getByTestId('elo-chart').waitFor();
    await page.getByTestId('proximity-graph').waitFor();
    await page.getByText('Read the debate').first().click();
    expect(await width()).toBeLessThanOrEqual(375);
    expect(errors).toEqual([]);
  });
});
