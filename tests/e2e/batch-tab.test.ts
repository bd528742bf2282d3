import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, pageSessionHeaders, watchForErrors } from '../helpers/browser.js';
import { startFakeUpstream, type Behavior, type FakeUpstream, type RecordedRequest } from '../helpers/fake-upstream.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib, so name what they touch.
declare const document: { scrollingElement: { scrollWidth: number } | null; querySelector(s: string): { textContent: string | null } | null };
declare const window: { __texts: string[] };
declare class MutationObserver {
  constructor(fn: () => void);
  observe(target: unknown, opts: { subtree: boolean; childList: boolean; characterData: boolean }): void;
}

vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });
const WAIT_MS = 20_000;
const KEY = 'sk-visitor-endpoint-key-0123456789';
/** Words in two code-easy prompts: while `failing` is on, the fake upstream refuses them (400, not retried). */
const FAILING = ['is_palindrome', 'sumArray'];

interface Metrics {
  success_rate: number | null;
  latency_ms: { p50: number | null };
}
interface RunView {
  id: string;
  state: string;
  total: number;
  done: number;
  failed: number;
  results: unknown[];
  endpoints: Array<{ model: string }>;
  metrics: Array<{ overall: Metrics }>;
}

describeBrowser('the Batch tests tab', () => {
  let browser: Browser;
  let upstream: FakeUpstream;
  let server: TestServer;
  let failing = false;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const respond = (req: RecordedRequest): Behavior | undefined => {
      const prompt = String(req.body?.messages?.at(-1)?.content ?? '');
      return failing && FAILING.some((w) => prompt.includes(w)) ? { kind: 'error', status: 400 } : undefined;
    };
    // Answers stream word by word, 8 ms apart, so a run takes long enough to watch and a chat visibly streams.
    [browser, upstream, server] = await Promise.all([
      launchBrowser(),
      startFakeUpstream({ requireKey: KEY, latencyMs: 20, chunkDelayMs: 8, respond }),
      startTestServer({ env: { ALLOW_PRIVATE_ENDPOINTS: '1' }, config: { batch: { max_active_sessions_per_ip: 2 } } }),
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
  async function open(path: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    const errors = await watchForErrors(page);
    await page.goto(`${server.url}/${path}`);
    return { page, errors };
  }

  const asPage = (page: Page) => pageSessionHeaders(page, server.url);

  async function runOf(page: Page, id: string): Promise<RunView> {
    const res = await page.request.get(`${server.url}/api/batch/runs/${id}`, { headers: await asPage(page) });
    expect(res.status()).toBe(200);
    return (await res.json()) as RunView;
  }

  /** The connect form, as a visitor fills it: Custom, the fake upstream's URL, the key and a model. */
  async function connect(page: Page, model: string, label?: string) {
    const form = page.getByTestId('batch-connect');
    await form.getByLabel('Provider').selectOption('custom');
    await form.getByLabel('Base URL').fill(upstream.url);
    await form.getByLabel('API key').fill(KEY);
    await form.getByLabel('Model', { exact: true }).fill(model);
    if (label) await form.getByLabel(/^Label/).fill(label);
    return form;
  }

  /** Follows a value until it reaches `until`, and returns every value seen on the way. */
  async function follow(read: () => Promise<number>, until: number): Promise<number[]> {
    const seen: number[] = [];
    await expect.poll(async () => (seen.push(await read()), seen.at(-1)), { timeout: WAIT_MS, interval: 25 }).toBe(until);
    return seen;
  }

  const attr = async (l: Locator, name: string) => Number(await l.getAttribute(name));
  const metric = (page: Page, key: string, endpoint = 0) => page.locator(`[data-testid="metric-value"][data-metric="${key}"][data-endpoint="${endpoint}"]`);
  const runIdOf = (page: Page) => decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
  const width = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);

  it('connects, plans, runs with live progress, retries failures, exports, chats, compares two endpoints and deletes one', async () => {
    const { page, errors } = await open('#/batch');
    expect(await page.getByTestId('private-note').textContent()).toContain('allowed');

    // Connect: the test answers with its latency, then Save keeps the endpoint.
    const form = await connect(page, 'test/cheap-model');
    await form.getByRole('button', { name: 'Test connection' }).click();
    const result = form.getByTestId('connect-result');
    await result.waitFor();
    expect(await result.textContent()).toMatch(/Connected in \d+(\.\d+)? m?s\..*lists 2 models/);
    expect(await result.getAttribute('data-latency')).toMatch(/^\d+$/);
    await form.getByRole('button', { name: 'Save endpoint' }).click();
    const saved = page.getByTestId('batch-session');
    await expect.poll(() => saved.count()).toBe(1);
    const sessionA = (await saved.getAttribute('data-id'))!;

    // Plan: two curated suites; the estimate is the server's.
    const planner = page.getByTestId('batch-planner');
    await planner.getByLabel(/^Code \(easy\)/).check();
    await planner.getByLabel(/^Factual QA \(easy\)/).check();
    await planner.getByText('Run settings').click();
    await planner.getByLabel('Parallel requests').fill('2');
    expect(await planner.locator('summary').textContent()).toContain('2 at once · rubrics judged by A');
    const estimated = await page.request.post(`${server.url}/api/batch/estimate`, {
      headers: await asPage(page),
      data: { session_ids: [sessionA], suites: ['code-easy', 'factual-easy'], judge: { endpoint: 0 } },
    });
    const estimate = (await estimated.json()) as { prompts: number; total: number };
    expect(estimate.prompts).toBe(20);
    await expect.poll(() => attr(planner.getByTestId('estimate-prompts'), 'data-prompts')).toBe(estimate.prompts);

    // Run, with two prompts failing: the bar moves and the table fills while it runs.
    failing = true;
    await planner.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/#\/batch\/batch_/);
    const id = runIdOf(page);
    const progress = page.getByTestId('batch-progress');
    await progress.waitFor();
    const rows = page.getByTestId('result-row');
    const [dones, counts] = await Promise.all([follow(() => attr(progress, 'data-done'), estimate.total), follow(() => rows.count(), estimate.total)]);
    expect(dones.some((d) => d > 0 && d < estimate.total)).toBe(true);
    expect(counts.some((n) => n > 0 && n < estimate.total)).toBe(true);
    await page.locator('[data-testid="batch-run"][data-state="done"]').waitFor();
    await page.locator('[data-testid="batch-metrics"][data-measured="true"]').waitFor();

    // The cards show the server's metrics.
    const view = await runOf(page, id);
    expect([view.state, view.done, view.total, view.failed]).toEqual(['done', 20, 20, 2]);
    const overall = view.metrics[0]!.overall;
    expect(await metric(page, 'success_rate').getAttribute('data-raw')).toBe(String(overall.success_rate));
    expect(await metric(page, 'success_rate').locator('strong').textContent()).toBe('90%');
    expect(await metric(page, 'latency_p50').getAttribute('data-raw')).toBe(String(overall.latency_ms.p50));
    expect(await attr(page.getByTestId('batch-progress'), 'data-done')).toBe(20);
    expect(await rows.count()).toBe(view.results.length);
    const failures = page.locator('[data-testid="failure-code"][data-code="upstream_bad_request"]');
    expect(await failures.getAttribute('data-count')).toBe('2');
    expect(await failures.textContent()).toContain('HTTP 400');
    const histogram = page.getByTestId('latency-histogram');
    await histogram.waitFor();
    expect(await histogram.locator('svg').getAttribute('role')).toBe('img');
    expect(await histogram.locator('rect').count()).toBeGreaterThan(0);

    // A row opens to show its prompt and whole answer, or the error's advice.
    await page.locator('[data-testid="result-row"][data-ok="false"]').first().getByRole('button').click();
    expect(await page.getByTestId('result-detail').textContent()).toMatch(/is_palindrome.*The provider rejected the request \(HTTP 400\)/);
    await page.locator('[data-testid="result-row"][data-ok="true"]').first().getByRole('button').click();
    expect(await page.getByTestId('result-detail').textContent()).toMatch(/Echo: \S/);

    // Retry failed runs the two again; now they answer.
    failing = false;
    await page.getByRole('button', { name: 'Retry 2 failed' }).click();
    await expect.poll(() => metric(page, 'success_rate').getAttribute('data-raw'), { timeout: WAIT_MS }).toBe('1');
    await page.locator('[data-testid="batch-metrics"][data-measured="true"]').waitFor();
    expect((await runOf(page, id)).failed).toBe(0);
    expect(await page.getByRole('button', { name: /^Retry/ }).isDisabled()).toBe(true);

    // Export: plain links that download with the session's cookie.
    const csv = page.getByTestId('export-csv');
    expect(await csv.getAttribute('download')).not.toBeNull();
    const href = (await csv.getAttribute('href'))!;
    expect(href).toBe(`./api/batch/runs/${id}/export?format=csv`);
    const exported = await page.request.get(new URL(href, page.url()).href);
    expect(exported.status()).toBe(200);
    expect(exported.headers()['content-type']).toMatch(/^text\/csv/);
    expect((await exported.text()).split('\n').length).toBeGreaterThan(20);

    // Chat about the results: the answer streams in, piece by piece.
    const chat = page.getByTestId('batch-chat');
    const question = 'Which suite was slowest, and which prompts failed before the retry?';
    await chat.getByLabel('Your question').fill(question);
    await page.evaluate(() => {
      window.__texts = [];
      const log = () => document.querySelector('[data-testid="batch-chat"]');
      new MutationObserver(() => {
        const text = log()?.textContent ?? '';
        if (window.__texts.at(-1) !== text) window.__texts.push(text);
      }).observe(log(), { subtree: true, childList: true, characterData: true });
    });
    await chat.getByRole('button', { name: 'Send' }).click();
    const answer = chat.locator('[data-testid="chat-turn"][data-role="assistant"]');
    await answer.filter({ hasText: `Echo: ${question}` }).waitFor();
    const texts = await page.evaluate(() => window.__texts);
    expect(texts.filter((t) => t.includes('Echo:') && !t.includes(`Echo: ${question}`)).length).toBeGreaterThan(0);
    await chat.getByRole('button', { name: 'Send' }).waitFor();

    // Compare: a second endpoint (another model on the same upstream), one suite on both.
    await page.getByRole('link', { name: /Endpoints, new run/ }).click();
    await page.locator(`[data-testid="batch-history-run"][data-id="${id}"]`).waitFor();
    const again = await connect(page, 'test/free-model', 'free');
    await again.getByRole('button', { name: 'Save endpoint' }).click();
    await expect.poll(() => saved.count()).toBe(2);
    await expect.poll(() => page.locator('[data-testid="batch-session"][data-chosen="true"]').count()).toBe(2);
    await planner.getByLabel(/^Factual QA \(easy\)/).check();
    await expect.poll(() => planner.getByTestId('batch-estimate').textContent()).toMatch(/10 prompts × 2 endpoints/);
    await planner.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL((url) => url.hash.startsWith('#/batch/batch_') && !url.hash.includes(id));
    const compareId = runIdOf(page);
    await page.locator('[data-testid="batch-run"][data-state="done"]').waitFor();
    await expect.poll(() => page.getByTestId('compare-row').count()).toBe(10);
    expect(await page.locator('[data-testid="compare-answer"][data-endpoint="1"]').count()).toBe(10);
    expect(await page.locator('[data-testid="compare-answer"][data-endpoint="1"]').first().textContent()).toContain('Echo:');
    await page.locator('[data-testid="batch-metrics"][data-measured="true"]').waitFor();
    const compared = await runOf(page, compareId);
    expect(compared.endpoints.map((e) => e.model)).toEqual(['test/cheap-model', 'test/free-model']);
    for (const [i, m] of compared.metrics.entries())
      expect(await metric(page, 'latency_p50', i).getAttribute('data-raw')).toBe(String(m.overall.latency_ms.p50));

    // A phone: the run, its tables and the tab's home page scroll inside their cards, never the page.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await width(page)).toBeLessThanOrEqual(390);
    await page.getByRole('button', { name: 'All answers' }).click();
    await rows.first().waitFor();
    expect(await width(page)).toBeLessThanOrEqual(390);
    await page.goto(`${server.url}/#/batch/${id}`);
    await rows.first().getByRole('button').click();
    expect(await width(page)).toBeLessThanOrEqual(390);
    await page.goto(`${server.url}/#/batch`);
    await page.getByTestId('suite-picker').waitFor();
    expect(await width(page)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });

    // A third endpoint is over this address's limit: the server's message says what to do.
    const third = await connect(page, 'test/cheap-model');
    await third.getByRole('button', { name: 'Save endpoint' }).click();
    expect(await third.getByTestId('connect-error').textContent()).toMatch(/has 2 active batch sessions, the most it may hold. Delete one on the Batch tab/);

    // Delete B from its run: it goes, with the run that used it; the first run stays.
    await page.goto(`${server.url}/#/batch/${compareId}`);
    await page.getByRole('button', { name: 'Delete endpoint free' }).click();
    await page.getByRole('button', { name: 'Delete endpoint and its runs' }).click();
    await page.waitForURL(/#\/batch$/);
    await expect.poll(() => saved.count()).toBe(1);
    await page.locator(`[data-testid="batch-history-run"][data-id="${id}"]`).waitFor();
    expect(await page.locator(`[data-testid="batch-history-run"][data-id="${compareId}"]`).count()).toBe(0);
    const gone = await page.request.get(`${server.url}/api/batch/runs/${compareId}`, { headers: await asPage(page) });
    expect(gone.status()).toBe(404);

    // With one endpoint, B can be another model on it (same key): both columns again.
    await planner.getByLabel('Compare with another model on this endpoint').check();
    await planner.getByLabel('Model B').fill('test/free-model');
    await planner.getByLabel(/^Creative writing \(easy\)/).check();
    await expect.poll(() => planner.getByTestId('batch-estimate').textContent()).toMatch(/10 prompts × 2 endpoints/);
    await planner.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForURL(/#\/batch\/batch_/);
    await page.locator('[data-testid="batch-run"][data-state="done"][data-endpoints="2"]').waitFor();
    await expect.poll(() => page.locator('[data-testid="compare-answer"][data-endpoint="1"]').count()).toBe(10);
    expect((await runOf(page, runIdOf(page))).endpoints.map((e) => e.model)).toEqual(['test/cheap-model', 'test/free-model']);
    await page.getByRole('link', { name: /Endpoints, new run/ }).click();

    // And A from the list, which leaves this address free for the next visitor.
    await saved.getByRole('button', { name: /^Delete endpoint/ }).click();
    await page.getByRole('button', { name: 'Delete endpoint and its runs' }).click();
    await expect.poll(() => saved.count()).toBe(0);
    expect(errors.filter((e) => !e.includes('status of 429'))).toEqual([]);
  });

  it('checks an uploaded suite: a bad row is named, the fixed file is counted', async () => {
    const { page, errors } = await open('#/batch');
    await page.getByRole('button', { name: 'Add your own suite…' }).click();
    const upload = page.getByTestId('batch-upload');
    const file = upload.getByLabel(/Suite file/);
    const csv = (rows: string[]) => ({
      name: 'my-suite.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['id,prompt,max_tokens,check_type,check_value', ...rows].join('\n')),
    });

    await file.setInputFiles(csv(['a,Say hello,50,contains,hello', 'b,Count to three,abc,,']));
    const problem = upload.getByTestId('upload-error');
    await problem.waitFor();
    expect(await problem.getByTestId('upload-rows').getAttribute('data-count')).toBe('1');
    expect(await problem.locator('li').textContent()).toMatch(/^Row 3, max_tokens: /);

    await file.setInputFiles(csv(['a,Say hello,50,contains,hello', 'b,Count to three,40,regex,three']));
    const ok = upload.getByTestId('upload-ok');
    await ok.waitFor();
    expect(await ok.getAttribute('data-prompts')).toBe('2');
    expect(await ok.textContent()).toContain('my-suite: 2 prompts, checks: 1 contains, 1 regex');
    expect(await problem.count()).toBe(0);
    expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
  });
});
