import { readFile } from 'node:fs/promises';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, watchForErrors } from '../helpers/browser.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib, so name what they touch.
declare const document: { scrollingElement: { scrollWidth: number } | null };
declare const sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
declare const localStorage: { length: number; key(i: number): string | null; getItem(key: string): string | null };
declare const navigator: { clipboard: { readText(): Promise<string>; writeText(text: string): Promise<void> } };
declare const window: { getSelection(): { toString(): string } | null };

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const WAIT_MS = 15_000;
const ADMIN = 'admin-token-for-e2e-0123456789';
const PAID = 'openai/gpt-4o-mini'; // priced in the shipped catalog snapshot
const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const KEY_SHAPE = /^lc_[0-9A-Za-z]{43}$/;

describeBrowser('the Admin tab and "Use via API"', () => {
  let browser: Browser;
  let upstream: FakeUpstream;
  let server: TestServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [browser, upstream] = await Promise.all([launchBrowser(), startFakeUpstream({ latencyMs: 5 })]);
    server = await startTestServer({
      env: { ADMIN_TOKEN: ADMIN, OPENROUTER_API_KEY: 'sk-or-v1-x-0123456789', LLM_BASE_URL: upstream.url },
      config: { cost_control: { allowed_models: { development: [PAID, FREE] } }, gateway: { default_key_rpm: 45, default_key_daily_usd: 1.5 } },
    });
  });
  afterEach(() => Promise.all(contexts.splice(0).map((c) => c.close())));
  afterAll(() => Promise.all([browser?.close(), server?.close(), upstream?.close()]));

  /**
   * A fresh browser context that may use the clipboard; `token` is put in sessionStorage before the page loads,
   * and `noClipboard` makes the clipboard refuse, as a Space's iframe may.
   */
  async function open(path: string, opts: { width?: number; height?: number; token?: string; noClipboard?: boolean } = {}) {
    const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 } });
    contexts.push(context);
    context.setDefaultTimeout(WAIT_MS);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    const errors = await watchForErrors(page);
    if (opts.token) await page.addInitScript((t) => sessionStorage.setItem('labcoat.admin', t), opts.token);
    if (opts.noClipboard) await page.addInitScript(() => (navigator.clipboard.writeText = () => Promise.reject(new Error('blocked'))));
    await page.goto(`${server.url}/${path}`);
    return { page, errors };
  }

  async function admin(path: string, body?: unknown) {
    const res = await fetch(`${server.url}/admin/api/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.ok).toBe(true);
    return (await res.json()) as { id: string; key: string; prefix: string };
  }

  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
  const width = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth);
  /** The browser reports every 4xx response as a console error; the ones a test provokes on purpose are expected. */
  const unexpected = (errors: string[], status: number) => errors.filter((e) => !e.includes(`status of ${status}`));

  it('opens Admin with the token from Settings, issues a key shown once, meters its use, exports CSV and revokes it', async () => {
    const { page, errors } = await open('#/admin');
    // Without a token there is no Admin tab, and #/admin lands on the front door.
    await page.locator('#panel-research h2').waitFor();
    expect(await page.getByRole('tab', { name: 'Admin' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const setting = page.getByRole('dialog', { name: 'Settings' }).getByTestId('admin-setting');
    const input = setting.getByRole('textbox', { name: 'Admin token' });
    expect(await input.getAttribute('type')).toBe('password');
    // A wrong token is checked with the server and refused before it is kept.
    await input.fill('not-the-admin-token');
    await setting.getByRole('button', { name: 'Save token' }).click();
    await setting.locator('#admin-error').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('labcoat.admin'))).toBeNull();
    await input.fill(ADMIN);
    await setting.getByRole('button', { name: 'Save token' }).click();
    await setting.getByRole('status').getByText('Saved for this tab').waitFor();
    // Kept for this browser tab only: sessionStorage, never localStorage, never shown.
    expect(await page.evaluate(() => sessionStorage.getItem('labcoat.admin'))).toBe(ADMIN);
    const stored = await page.evaluate(() => Array.from({ length: localStorage.length }, (_, i) => localStorage.getItem(localStorage.key(i)!)));
    expect(stored).not.toContain(ADMIN);
    expect(await setting.textContent()).not.toContain(ADMIN);
    await setting.getByRole('link', { name: 'Open the Admin tab' }).click();
    await page.locator('#tab-admin[aria-selected="true"]').waitFor();
    await page.locator('#panel-admin h2').waitFor();

    // Create a key for one model, 30 requests a minute.
    const form = page.getByTestId('admin-create');
    // Empty limits take the Space's defaults, and the form says which.
    expect(await form.locator('#key-rpm-note').textContent()).toBe("Empty: the Space's default (45).");
    expect(await form.locator('#key-daily_usd-note').textContent()).toBe("Empty: the Space's default ($1.5).");
    expect(await form.locator('#key-monthly_usd-note').textContent()).toBe('Empty: none.');
    await form.getByLabel('Name').fill('Data team notebook');
    await form.getByLabel('Only these').check();
    await form.getByRole('checkbox', { name: PAID }).check();
    await form.getByLabel('Requests per minute').fill('30');
    await form.getByRole('button', { name: 'Create key' }).click();
    const box = page.getByTestId('created-key-box');
    await box.waitFor();
    expect(await box.textContent()).toContain('Copy it now: it will not be shown again.');
    const key = await box.getByTestId('created-key').inputValue();
    expect(key).toMatch(KEY_SHAPE);
    await box.getByRole('button', { name: 'Copy the new key' }).click();
    await box.getByRole('status').getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

    const row = page.locator('[data-testid="key-row"]', { hasText: 'Data team notebook' });
    await row.waitFor();
    expect(await row.getByTestId('key-prefix').textContent()).toBe(`${key.slice(0, 11)}…`);
    expect(await row.getByTestId('key-state').textContent()).toBe('Active');
    expect(await row.textContent()).toContain(PAID);

    // After a reload the key is gone for good: only its prefix is listed.
    await page.reload();
    await row.waitFor();
    expect(await page.getByTestId('created-key-box').count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    expect(await row.getByTestId('key-prefix').textContent()).toBe(`${key.slice(0, 11)}…`);

    // The key works with the official openai client, for the model it was given.
    const openai = client(key);
    expect((await openai.models.list()).data.map((m) => m.id)).toEqual([PAID]);
    const completion = await openai.chat.completions.create({ model: PAID, messages: [{ role: 'user', content: 'hello from the e2e test' }], max_tokens: 20 });
    expect(completion.choices[0]!.message.content).toBe('Echo: hello from the e2e test');

    // Usage: one request for that model, this month.
    const usage = page.getByTestId('admin-usage');
    await usage.getByLabel('Key').selectOption({ label: `Data team notebook (${key.slice(0, 11)}…)` });
    await usage.getByRole('button', { name: 'Show' }).click();
    const usageRow = usage.locator(`[data-testid="usage-row"][data-model="${PAID}"]`);
    await usageRow.waitFor();
    expect(await usageRow.getAttribute('data-requests')).toBe('1');
    expect(await usage.getByTestId('usage-totals').getAttribute('data-requests')).toBe('1');
    expect(await usageRow.textContent()).toContain(key.slice(0, 11));

    // Download CSV: fetched with the Bearer header, saved from a Blob.
    const [download] = await Promise.all([page.waitForEvent('download'), usage.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^labcoat-gateway-usage-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/); // RFC 4180 rows end in CRLF
    expect(lines[0]).toBe('day,key_id,key_name,key_prefix,model,requests,tokens_in,tokens_out,usd,errors');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,Data team notebook,${key.slice(0, 11)},${PAID},1,`);
    await usage.getByText('The CSV is in your downloads.').waitFor();

    // Disable stops the key; Enable brings it back.
    await row.getByRole('button', { name: 'Disable Data team notebook' }).click();
    await page.locator('[data-testid="key-row"][data-state="disabled"]', { hasText: 'Data team notebook' }).waitFor();
    expect(await openai.models.list().catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
    await row.getByRole('button', { name: 'Enable Data team notebook' }).click();
    await page.locator('[data-testid="key-row"][data-state="active"]', { hasText: 'Data team notebook' }).waitFor();
    expect((await openai.models.list()).data).toHaveLength(1);

    // Revoke, asked twice: the key stops working at once and stays listed.
    await row.getByRole('button', { name: 'Revoke Data team notebook' }).click();
    await page.getByTestId('revoke-confirm').getByRole('button', { name: 'Revoke the key' }).click();
    await page.locator('[data-testid="key-row"][data-state="revoked"]', { hasText: 'Data team notebook' }).waitFor();
    expect(await row.getByTestId('key-state').textContent()).toBe('Revoked');
    expect(await row.getByRole('button').count()).toBe(0);
    const refused = await openai.models.list().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);

    expect(unexpected(errors, 401)).toEqual([]);
  });

  it('gives copyable curl, JavaScript and Python with this server\u2019s address, and its gateway curl works as written', async () => {
    const { key } = await admin('keys', { name: 'curl check' });
    const { page, errors } = await open('#/api');
    await page.locator('#panel-api h2').waitFor();
    expect(await page.getByTestId('api-base-url').textContent()).toBe(server.url);

    // The chat completion, exactly as the page shows it, run with a real key.
    const snippet = page.locator('[data-snippet="gateway-curl-1"]');
    const curl = (await snippet.textContent())!;
    const url = curl.match(/^curl (?:-\S+ )*"([^"]+)"/m)![1]!;
    expect(url).toBe(`${server.url}/v1/chat/completions`);
    const headers = Object.fromEntries([...curl.matchAll(/-H "([^:]+): ([^"]+)"/g)].map((m) => [m[1]!, m[2]!.replace('lc_…', key)]));
    expect(headers).toEqual({ Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' });
    const body = curl.match(/-d '([^']+)'/)![1]!;
    expect(JSON.parse(body)).toMatchObject({ model: PAID, messages: [{ role: 'user', content: expect.any(String) }] });
    const res = await fetch(url, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { object: string }).object).toBe('chat.completion');

    // Copy says so, and copies the snippet as shown.
    await page.getByRole('button', { name: 'Copy curl: A chat completion' }).click();
    await snippet.locator('xpath=ancestor::li').getByRole('status').getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(curl);

    // One language choice for every section: the official openai packages for the gateway, fetch and requests for the rest.
    await page.getByRole('group', { name: 'Language of the gateway examples' }).getByRole('button', { name: 'JavaScript' }).click();
    expect(await page.locator('[data-snippet="gateway-js-0"]').textContent()).toContain(`import OpenAI from 'openai';`);
    expect(await page.locator('[data-snippet="gateway-js-0"]').textContent()).toContain(`baseURL: '${server.url}/v1'`);
    expect(await page.locator('[data-snippet="research-js-0"]').textContent()).toContain(`const BASE = '${server.url}';`);
    await page.getByRole('group', { name: 'Language of the batch examples' }).getByRole('button', { name: 'Python' }).click();
    expect(await page.locator('[data-snippet="gateway-python-0"]').textContent()).toContain(`base_url="${server.url}/v1"`);
    expect(await page.locator('[data-snippet="research-python-0"]').textContent()).toContain(`BASE = "${server.url}"`);
    expect(await page.locator('[data-snippet="batch-python-0"]').textContent()).toContain('api.headers["X-Session-ID"]');
    expect(await page.locator('[data-snippet="gateway-python-3"]').textContent()).toContain('stream_options={"include_usage": True}');

    // What each refusal means.
    const refusals = (await page.locator('.api-errors').textContent())!;
    for (const code of [
      'invalid_api_key',
      'model_not_found',
      'rate_limit_exceeded',
      'key_daily_limit',
      'key_monthly_limit',
      'daily_budget_exhausted',
      'key_request_too_costly',
      'no_api_key',
    ]) {
      expect(refusals).toContain(code);
    }
    expect(refusals).toContain('Retry-After');
    expect(errors).toEqual([]);
  });

  it('says when the saved admin token is refused, and leads to Settings', async () => {
    const { page, errors } = await open('#/admin', { token: 'an-old-admin-token' });
    const refused = page.getByTestId('admin-refused');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('The server refused the admin token');
    await refused.getByRole('button', { name: 'Check it in Settings' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).getByTestId('admin-setting').getByRole('button', { name: 'Remove' }).click();
    await page.locator('#tab-research[aria-selected="true"]').waitFor();
    expect(await page.getByRole('tab', { name: 'Admin' }).count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.getItem('labcoat.admin'))).toBeNull();
    expect(unexpected(errors, 401)).toEqual([]);
  });

  it('fits a 390 px phone on both views without sideways scrolling', async () => {
    const { key } = await admin('keys', {
      name: 'Phone check with a long name for the table',
      models: [PAID, FREE],
      daily_usd: 2.5,
      monthly_usd: 20,
      expires_at: '2099-12-31T23:59:59.999Z',
    });
    await client(key).chat.completions.create({ model: FREE, messages: [{ role: 'user', content: 'from a phone' }], max_tokens: 10 });
    const { page, errors } = await open('#/api', { width: 390, height: 844, token: ADMIN, noClipboard: true });
    await page.locator('#panel-api h2').waitFor();
    expect(await width(page)).toBeLessThanOrEqual(390);
    // Where copying is refused, the text is left selected for Ctrl+C, and the page says so.
    await page.getByRole('button', { name: 'Copy the base URL' }).click();
    await page.getByText('the text is selected, press Ctrl+C').waitFor();
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(server.url);
    await page.getByRole('tab', { name: 'Admin' }).click();
    await page.locator(`[data-testid="usage-row"][data-model="${FREE}"]`).waitFor();
    await page.locator('[data-testid="key-row"]', { hasText: 'Phone check' }).waitFor();
    expect(await width(page)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
  });
});
