import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeBrowser, launchBrowser, pageSessionHeaders, watchForErrors } from '../helpers/browser.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/fake-upstream.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

// Callbacks given to page.evaluate and init scripts run in the browser; the project's tsconfig has no DOM lib, so name what they touch.
declare const document: { scrollingElement: { scrollWidth: number } | null };
declare const localStorage: { setItem(key: string, value: string): void; getItem(key: string): string | null };

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const WAIT_MS = 15_000;

// Both are in the shipped catalog snapshot: one free, one paid ($0.15 / $0.60 per 1M).
const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const PAID = 'openai/gpt-4o-mini';
const ALLOWED = [FREE, PAID];
const ENV = { OPENROUTER_API_KEY: 'sk-test-server-key-123456' };
const SESSION_REQUESTS = 3;
const VISITOR_KEY = 'sk-or-v1-visitor-key-0123456789';

interface Usage {
  key_mode: 'server' | 'byok' | 'none';
  session: { cycles_used: number; cycles_limit: number; requests_used: number; requests_limit: number; spent_usd: number };
  ip: { requests_this_hour: number; requests_per_hour: number; resets_at: string | null };
  global: { spent_usd_today: number; reserved_usd: number; cap_usd: number; remaining_usd: number; alert: boolean; alert_at_fraction: number };
  byok: null | { credit: null | { remaining_usd: number | null } };
}
interface Estimate {
  calls: number;
  calls_max: number;
  max_usd: number | null;
  by_step: Record<string, unknown>;
  quota: { cycles_left: number } | null;
}

describeBrowser('cost control on the page', () => {
  let browser: Browser;
  let upstream: FakeUpstream;
  let server: TestServer;
  let tight: TestServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    upstream = await startFakeUpstream({ keyInfo: { limit: 10, usage: 2.5, limit_remaining: 7.5 } });
    const env = { ...ENV, LLM_BASE_URL: upstream.url };
    const whitelist = { allowed_models: { development: ALLOWED }, tiers: { anonymous: ALLOWED } };
    [browser, server, tight] = await Promise.all([
      launchBrowser(),
      startTestServer({ env, config: { cost_control: { ...whitelist, per_session_limit_requests: SESSION_REQUESTS } } }),
      // A cap so small that one paid call passes the alert, and a second uses it up.
      startTestServer({ env, config: { cost_control: { ...whitelist, daily_spending_limit_usd: 0.0001, alert_at_fraction: 0.1 } } }),
    ]);
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    upstream.reset();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.close(), tight?.close(), upstream?.close()]);
  });

  async function open(path: string, opts: { on?: TestServer; width?: number; colorScheme?: 'light' | 'dark'; ownKey?: boolean } = {}) {
    const width = opts.width ?? 1280;
    const context = await browser.newContext({ viewport: { width, height: width > 400 ? 800 : 740 }, colorScheme: opts.colorScheme ?? 'light' });
    contexts.push(context);
    context.setDefaultTimeout(WAIT_MS);
    const page = await context.newPage();
    const errors = await watchForErrors(page);
    if (opts.ownKey) await page.addInitScript((key: string) => localStorage.setItem('labcoat.byok', key), VISITOR_KEY);
    await page.goto(`${(opts.on ?? server).url}/${path}`);
    return { page, errors };
  }

  /**
   * Headers that make a request from the test count for the page's own session: the session id
   * the page keeps and sends (the header wins over the cookie on the server), and its origin.
   */
  const asPage = (page: Page, on = server) => pageSessionHeaders(page, on.url);

  /** What the server says about this page's session. */
  async function usageOf(page: Page, on = server, extra: Record<string, string> = {}): Promise<Usage> {
    const res = await page.request.get(`${on.url}/api/usage`, { headers: { ...(await asPage(page, on)), ...extra } });
    expect(res.ok()).toBe(true);
    return (await res.json()) as Usage;
  }

  /** Another visitor's call on the Space's key, straight to the API, with what the fake provider will report. */
  async function outsideCall(on: TestServer, cost: number) {
    upstream.enqueue({ kind: 'ok', usage: { prompt_tokens: 10, completion_tokens: 10, cost } });
    const res = await fetch(`${on.url}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: on.url },
      body: JSON.stringify({ model: PAID, messages: [{ role: 'user', content: 'hi' }], max_tokens: 16 }),
    });
    expect(res.status).toBe(200);
  }

  const requestsLeft = (u: Usage) => u.session.requests_limit - u.session.requests_used;

  async function send(page: Page, prompt: string) {
    await page.getByLabel('Prompt').fill(prompt);
    await page.getByRole('button', { name: 'Send' }).click();
  }

  it('shows the meter, streams a tried answer, counts it, stops on request, and shows the 429 after the session limit', async () => {
    const { page, errors } = await open('#/models');
    const meter = page.getByTestId('usage-meter');
    await meter.waitFor();
    const before = await usageOf(page);
    expect(before.key_mode).toBe('server');
    expect(before.session.requests_limit).toBe(SESSION_REQUESTS);
    expect(await page.getByTestId('meter-requests').textContent()).toBe(`${requestsLeft(before)} req left this session`);
    expect(await meter.textContent()).toContain(`${before.session.cycles_used}/${before.session.cycles_limit} cycles`);

    // Only models this visitor may use have Try; the panel loads on the first click.
    await page.locator(`tr[data-id="${FREE}"] .catalog-try button`).waitFor();
    await page.locator(`tr[data-id="${PAID}"]`).getByRole('button', { name: /^Try / }).click();
    const panel = page.getByTestId('try-panel');
    await panel.waitFor();
    expect(await panel.getByRole('heading').textContent()).toContain('GPT-4o-mini');

    await send(page, 'What is an Elo rating?');
    await page.getByTestId('try-answer').filter({ hasText: 'Echo: What is an Elo rating?' }).waitFor();
    const summary = page.getByTestId('try-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain(PAID);
    expect(await page.getByTestId('try-cost').textContent()).toMatch(/^\$0\.0\d+$/);
    const sent = upstream.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.stream).toBe(true);

    // The meter catches up by itself after the call, and says what the API says.
    const afterOne = await usageOf(page);
    expect(afterOne.session.requests_used).toBe(before.session.requests_used + 1);
    await page
      .getByTestId('meter-requests')
      .filter({ hasText: `${requestsLeft(afterOne)} req left` })
      .waitFor();

    // A slow answer can be stopped; what arrived stays, and the request still counts.
    upstream.enqueue({ kind: 'ok', latencyMs: 10_000 });
    await send(page, 'Take your time.');
    const stop = page.getByRole('button', { name: 'Stop' });
    await page.locator('.try-dialog button[data-tone="danger"]:not([disabled])').waitFor();
    await stop.click();
    await panel.getByRole('status').filter({ hasText: 'Stopped.' }).waitFor();
    expect(await page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);

    await send(page, 'One more.');
    await page.getByTestId('try-answer').filter({ hasText: 'Echo: One more.' }).waitFor();
    const spent = await usageOf(page);
    expect(requestsLeft(spent)).toBe(0);
    await page.getByTestId('meter-requests').filter({ hasText: '0 req left' }).waitFor();

    // Over the limit: the server's own message, word for word.
    const refusal = await page.request.post(`${server.url}/api/chat`, {
      headers: await asPage(page),
      data: { model: PAID, messages: [{ role: 'user', content: 'x' }] },
    });
    expect(refusal.status()).toBe(429);
    const { error } = (await refusal.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('session_request_limit');
    await send(page, 'And another?');
    const shown = page.getByTestId('try-error');
    await shown.waitFor();
    expect(await shown.textContent()).toBe(error.message);

    // Esc closes the panel and hands focus back to the Try button.
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('aria-label'))).toMatch(/^Try /);
    // The browser itself logs the refused request; that one is expected, nothing else is.
    expect(errors.filter((e) => !e.includes('status of 429'))).toEqual([]);
  });

  it('the Usage tab shows what /api/usage says, and today’s spend moves live', async () => {
    const { page, errors } = await open('#/usage');
    await page.getByTestId('usage-today').waitFor();
    // One call of this visitor's own, so the session has something to show.
    const call = await page.request.post(`${server.url}/api/chat`, {
      headers: await asPage(page),
      data: { model: FREE, messages: [{ role: 'user', content: 'hello' }], max_tokens: 20 },
    });
    expect(call.status()).toBe(200);
    await page.reload();
    await page.getByTestId('usage-today').waitFor();

    const u = await usageOf(page);
    expect(u.session.requests_used).toBe(1);
    const text = (id: string) => page.getByTestId(id).locator('.quota-count').textContent();
    await page
      .getByTestId('usage-requests')
      .filter({ hasText: `${u.session.requests_used} of ${u.session.requests_limit}` })
      .waitFor();
    expect(await text('usage-cycles')).toBe(`${u.session.cycles_used} of ${u.session.cycles_limit}`);
    expect(await text('usage-hour')).toBe(`${u.ip.requests_this_hour} of ${u.ip.requests_per_hour}`);
    expect(Number(await page.getByTestId('usage-session-spent').getAttribute('data-usd'))).toBe(u.session.spent_usd);
    expect(Number(await page.getByTestId('usage-global-spent').getAttribute('data-usd'))).toBe(u.global.spent_usd_today);
    expect(Number(await page.getByTestId('usage-global-left').getAttribute('data-usd'))).toBe(u.global.remaining_usd);
    expect(await page.getByTestId('usage-global-spent').textContent()).toContain(`of $${u.global.cap_usd}`);

    // Someone else spends on the Space's key: the live topic brings it here without a reload.
    await outsideCall(server, 0.001);
    const now = await usageOf(page);
    expect(now.global.spent_usd_today).toBeGreaterThan(u.global.spent_usd_today);
    await page.locator(`[data-testid="usage-global-spent"][data-usd="${now.global.spent_usd_today}"]`).waitFor();
    expect(errors).toEqual([]);
  });

  it('warns everyone once spend passes the alert fraction, then says when the used-up budget resets', async () => {
    const { page, errors } = await open('#/research', { on: tight });
    await page.getByTestId('usage-meter').waitFor();
    expect(await page.getByTestId('budget-banner').count()).toBe(0);

    await outsideCall(tight, 0.00002);
    const alerted = await usageOf(page, tight);
    expect(alerted.global.alert).toBe(true);
    expect(alerted.global.remaining_usd).toBeGreaterThan(0);
    const banner = page.getByTestId('budget-banner');
    await banner.waitFor();
    expect(await banner.getAttribute('data-tone')).toBe('warn');
    expect(await banner.textContent()).toContain(`passed ${Math.round(alerted.global.alert_at_fraction * 100)}% of its $${alerted.global.cap_usd} cap`);
    expect(await banner.textContent()).toContain('Free models and your own key keep working.');

    await outsideCall(tight, 0.0001);
    expect((await usageOf(page, tight)).global.remaining_usd).toBe(0);
    await page.locator('[data-testid="budget-banner"][data-tone="danger"]').waitFor();
    expect(await banner.textContent()).toMatch(/used up.*resets at .+\(midnight UTC\)/);
    expect(errors).toEqual([]);
  });

  it('plans a run: the estimate on the page is what POST /api/research/estimate answers for the same inputs', async () => {
    const { page, errors } = await open('#/research');
    const planner = page.getByTestId('run-planner');
    await planner.getByTestId('plan-total').waitFor();
    const config = (await (await page.request.get(`${server.url}/api/config`)).json()) as { limits: { max_hypotheses_per_cycle: number } };
    expect(await planner.textContent()).toContain(`max ${config.limits.max_hypotheses_per_cycle} here`);
    expect(await planner.locator('#plan-hypotheses').getAttribute('max')).toBe(String(config.limits.max_hypotheses_per_cycle));
    // The picker offers the models this visitor may use, with their prices.
    const options = await planner.locator('#plan-model option').evaluateAll((els) => els.map((e) => [e.getAttribute('value'), e.textContent]));
    expect(options.map(([id]) => id).sort()).toEqual([...ALLOWED].sort());
    expect(options.find(([id]) => id === FREE)![1]).toMatch(/· free$/);
    expect(options.find(([id]) => id === PAID)![1]).toContain('$0.15 / $0.60 per 1M');

    await planner.getByLabel('Model', { exact: true }).selectOption(PAID);
    await planner.getByLabel('Hypotheses per cycle').fill('2');
    await planner.getByLabel('Cycles').fill('2');
    await planner.getByLabel('Debate the closest pairs').uncheck();

    const res = await page.request.post(`${server.url}/api/research/estimate`, {
      headers: await asPage(page),
      data: { model: PAID, hypotheses: 2, cycles: 2, settings: { debate: false } },
    });
    expect(res.status()).toBe(200);
    const est = (await res.json()) as Estimate;
    expect(est.max_usd).not.toBeNull();
    const calls = planner.locator(`[data-testid="plan-calls"][data-calls="${est.calls}"][data-calls-max="${est.calls_max}"]`);
    await calls.waitFor();
    await planner.locator(`[data-testid="plan-cost"][data-usd="${est.max_usd}"]`).waitFor();
    const total = await planner.getByTestId('plan-total').textContent();
    expect(total).toContain(`${est.calls} calls (at most ${est.calls_max} if answers need repair)`);
    expect(total).toContain('paid by this Space');
    expect(total).toContain(`${est.quota!.cycles_left} cycles left this session`);

    await planner.getByText(/^Calls by step/).click();
    expect(await planner.locator('.plan-table tbody tr').count()).toBe(Object.keys(est.by_step).length);
    expect(await planner.getByRole('button', { name: /^Run/ }).count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('with the visitor’s own key, the meter says so and shows the credit the provider reports', async () => {
    const { page, errors } = await open('#/usage', { ownKey: true });
    const meter = page.getByTestId('usage-meter');
    await page.getByTestId('meter-credit').waitFor();
    const u = await usageOf(page, server, { Authorization: `Bearer ${VISITOR_KEY}` });
    expect(u.key_mode).toBe('byok');
    const left = u.byok!.credit!.remaining_usd!;
    expect(await meter.textContent()).toContain('Your key');
    expect(await page.getByTestId('meter-credit').textContent()).toBe(`$${left.toFixed(2)} credit left`);
    await page.getByTestId('usage-own-key').waitFor();
    expect(await page.getByTestId('usage-credit-left').textContent()).toBe(`$${left.toFixed(2)}`);
    expect(errors).toEqual([]);
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`fits a 375 px phone: header meter, Usage, Try panel and planner without sideways scrolling (${colorScheme})`, async () => {
      const { page, errors } = await open('#/usage', { width: 375, colorScheme });
      const width = () => page.evaluate(() => document.scrollingElement!.scrollWidth);
      await page.getByTestId('usage-today').waitFor();
      expect(await page.getByTestId('usage-meter').isVisible()).toBe(true);
      expect(await width()).toBeLessThanOrEqual(375);

      await page.goto(`${server.url}/#/models`);
      await page.locator(`tr[data-id="${FREE}"]`).getByRole('button', { name: /^Try / }).click();
      await page.getByTestId('try-panel').waitFor();
      await send(page, 'Short answer, please.');
      await page.getByTestId('try-summary').waitFor();
      expect(await page.getByTestId('try-cost').textContent()).toBe('free');
      expect(await width()).toBeLessThanOrEqual(375);
      await page.keyboard.press('Escape');

      await page.goto(`${server.url}/#/research`);
      await page.getByTestId('plan-total').waitFor();
      expect(await width()).toBeLessThanOrEqual(375);
      expect(errors).toEqual([]);
    });
  }
});
