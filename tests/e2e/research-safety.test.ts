import { expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser } from '../helpers/browser.js';
import {
  FLAGGED_ID,
  REFUSED_ID,
  REFUSED_NOTE,
  REFUSED_REASON,
  SAFETY_NOTE,
  SAFETY_RUN_ID,
  safetyRun,
  WAITING_NOTE,
  writeSafetyState,
} from '../helpers/research-safety-fixture.js';
import { researchPage } from '../helpers/research-page.js';
import { eloUncertainty } from '../../shared/elo.js';
import { hypothesisLabels, leaderboard } from '../../shared/ranking.js';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib, so name what they touch.
declare const document: { documentElement: { scrollWidth: number } };

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const WAIT_MS = 15_000;
// Both are in the shipped catalog snapshot: one free, one paid (so reasoning changes the price).
const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const PAID = 'openai/gpt-4o-mini';

const run = safetyRun();
const labels = hypothesisLabels(run.hypotheses);
const ranked = leaderboard(run.hypotheses);
const byId = new Map(run.hypotheses.map((h) => [h.id, h]));
const card = (page: Page, id: string) => page.locator(`[data-testid="hypothesis"][data-id="${id}"]`);
const text = async (page: Page, selector: string) => (await page.locator(selector).allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());
const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describeBrowser('a research run with safety flags, declined input and a judge’s position bias', () => {
  const lab = researchPage({
    prefix: 'labcoat-safety-',
    write: writeSafetyState,
    config: { cost_control: { allowed_models: { development: [FREE, PAID] }, tiers: { anonymous: [FREE, PAID] } } },
    waitMs: WAIT_MS,
  });
  const open = lab.open;
  const becomeOwner = (page: Page) => lab.becomeOwner(page, SAFETY_RUN_ID);

  it.each([
    { width: 1280, scheme: 'light' as const },
    { width: 390, scheme: 'dark' as const },
  ])('ranks with ± and matches, states the position bias and marks held and declined hypotheses at $width px ($scheme)', async ({ width, scheme }) => {
    const { page, errors } = await open(`#/research/${SAFETY_RUN_ID}`, width, scheme);
    await page.getByTestId('leaderboard-row').first().waitFor();

    // Each rating with how sure it is (±, from the matches it rests on) and the matches played.
    expect(ranked).not.toContain(FLAGGED_ID);
    expect(await page.getByTestId('leaderboard-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual(ranked);
    const rated = ranked.map((id) => byId.get(id)!);
    expect(await text(page, '[data-testid="lb-elo"]')).toEqual(
      rated.map((h) => `${Math.round(h.elo).toLocaleString('en-US')} ±${eloUncertainty(h.wins + h.losses)}`),
    );
    expect(await text(page, '[data-testid="lb-matches"]')).toEqual(rated.map((h) => `${h.wins + h.losses} (${h.wins}–${h.losses})`));
    // One match behind a rating reads differently from six.
    expect(new Set(rated.map((h) => h.wins + h.losses))).toEqual(new Set([1, 4, 5, 6]));
    expect((await card(page, 'h_newcomer').getByTestId('hyp-elo').textContent())!.replace(/\s+/g, ' ')).toContain('±347 Elo');
    expect(await card(page, 'h_newcomer').getByTestId('hyp-elo').textContent()).toContain('W–L 0–1 · 1 match');
    expect(await card(page, FLAGGED_ID).getByTestId('hyp-elo').textContent()).toContain('Elo (unrated)');

    // The held and the declined are out of the leaderboard, and it says so.
    expect(await page.getByTestId('lb-held').textContent()).toBe(
      `Not ranked: ${labels.get(FLAGGED_ID)} held for safety · ${labels.get(REFUSED_ID)} declined by the screen`,
    );

    // The judge's position bias, near the matches.
    const first = run.matches.filter((m) => m.winner === m.a).length;
    expect(first).toBe(5);
    expect(await page.getByTestId('position-bias').textContent()).toBe(
      `The judge chose the first-shown hypothesis in 5 of ${run.matches.length} matches (63%); 50% is no position bias.`,
    );

    // A held card says why, in words; a visitor who does not own the run cannot clear it.
    const held = card(page, FLAGGED_ID);
    expect(await held.getAttribute('data-out')).toBe('held');
    expect((await held.getByTestId('safety-held').textContent())!.replace(/\s+/g, ' ')).toContain(`Held for safety: ${SAFETY_NOTE}`);
    expect(await held.locator('.hyp-tags').textContent()).toContain('held for safety');
    expect(await page.getByRole('button', { name: /Clear the flag/ }).count()).toBe(0);
    expect(await page.getByTestId('safety-cleared').count()).toBe(0);

    const declined = card(page, REFUSED_ID);
    expect(await declined.getAttribute('data-out')).toBe('held');
    expect(await declined.getByTestId('refused').textContent()).toBe(`Declined by the screen: ${REFUSED_REASON}`);
    expect(await declined.locator('.hyp-tags').textContent()).toContain('declined by the screen');

    expect(await noSideways(page)).toBeLessThanOrEqual(width);
    expect(errors).toEqual([]);
  });

  it('lets the owner clear a flag between cycles, after confirming, and marks the notes the screen declined', async () => {
    const { page, errors } = await open(`#/research/${SAFETY_RUN_ID}`, 390, 'light');
    await becomeOwner(page);

    // Notes: the declined one struck through with the screen's reason, the waiting one plain.
    const notes = page.getByTestId('notes');
    await notes.waitFor();
    const refusedNote = notes.getByTestId('note-refused');
    expect(await refusedNote.locator('s').textContent()).toBe(REFUSED_NOTE.text);
    expect((await refusedNote.textContent())!.replace(/\s+/g, ' ')).toContain(`declined by the screen (cycle 2): ${REFUSED_NOTE.refused}`);
    expect(await notes.locator('li:not([data-refused])').textContent()).toBe(WAITING_NOTE);

    // Clearing asks first; the PATCH goes out only after the owner takes responsibility.
    const held = card(page, FLAGGED_ID);
    const patches: unknown[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PATCH') patches.push({ url: r.url(), body: r.postDataJSON() });
    });
    await held.getByRole('button', { name: `Clear the flag on ${labels.get(FLAGGED_ID)}` }).click();
    expect(await held.getByText('You take responsibility').isVisible()).toBe(true);
    await held.getByRole('button', { name: 'Keep it held' }).click();
    expect(patches).toEqual([]);
    await held.getByRole('button', { name: /Clear the flag on/ }).click();
    const patched = page.waitForResponse((r) => r.request().method() === 'PATCH');
    await held.getByRole('button', { name: 'Yes, clear the flag' }).click();
    expect((await patched).status()).toBe(200);
    expect(patches).toEqual([{ url: `${lab.server.url}/api/research/runs/${SAFETY_RUN_ID}/hypotheses/${FLAGGED_ID}`, body: { safety_cleared: true } }]);

    // The card updates: no longer held, the flag cleared by you, and it is ranked again.
    await held.getByTestId('safety-cleared').waitFor();
    expect(await held.getByTestId('safety-cleared').textContent()).toBe('✓ Safety flag cleared by you');
    expect(await held.getByTestId('safety-held').count()).toBe(0);
    expect(await held.getAttribute('data-out')).toBeNull();
    await page.locator(`[data-testid="leaderboard-row"][data-id="${FLAGGED_ID}"]`).waitFor();
    expect(await page.getByTestId('lb-held').textContent()).toBe(`Not ranked: ${labels.get(REFUSED_ID)} declined by the screen`);
    expect(lab.server.store.data.research_runs[SAFETY_RUN_ID]!.hypotheses.find((h) => h.id === FLAGGED_ID)!.safety_cleared).toBe(true);
    // The declined hypothesis has no flag to clear.
    expect(
      await card(page, REFUSED_ID)
        .getByRole('button', { name: /Clear the flag/ })
        .count(),
    ).toBe(0);
    expect(await noSideways(page)).toBeLessThanOrEqual(390);

    // Another visitor sees who cleared it, and no button.
    const other = await open(`#/research/${SAFETY_RUN_ID}`, 1280, 'dark');
    await card(other.page, FLAGGED_ID).getByTestId('safety-cleared').waitFor();
    expect(await card(other.page, FLAGGED_ID).getByTestId('safety-cleared').textContent()).toBe('✓ Safety flag cleared by the run’s owner');
    expect(await noSideways(other.page)).toBeLessThanOrEqual(1280);
    expect(errors).toEqual([]);
    expect(other.errors).toEqual([]);
  });

  it.each([1280, 390])('sends the reasoning chosen with the estimate and the start, and the plan prices it (%i px)', async (width) => {
    const { page, errors } = await open('#/research', width, 'light');
    const estimates: Array<{ settings?: { reasoning?: string } }> = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/research/estimate')) estimates.push(r.postDataJSON());
    });
    const form = page.getByTestId('run-planner');
    await form.getByLabel('Research goal').fill('Why do some people sleep better after eating fermented food?');
    await form.getByLabel('Model', { exact: true }).selectOption(PAID);
    const cost = form.getByTestId('plan-cost');
    await expect.poll(async () => Number(await cost.getAttribute('data-usd'))).toBeGreaterThan(0);
    await expect.poll(() => estimates.at(-1)?.settings?.reasoning).toBeUndefined();
    const plain = Number(await cost.getAttribute('data-usd'));
    const calls = await form.getByTestId('plan-calls').getAttribute('data-calls');

    await form.getByText('Advanced settings').click();
    const select = form.getByLabel('Reasoning (models that think first)');
    expect(await select.inputValue()).toBe('off');
    expect(await form.locator('#set-reasoning-note').textContent()).toContain('1,024–8,192 output tokens per call');
    await select.selectOption('high');
    await expect.poll(() => estimates.at(-1)?.settings?.reasoning).toBe('high');
    await expect.poll(async () => Number(await cost.getAttribute('data-usd'))).toBeGreaterThan(plain);
    // Thinking costs output tokens, not calls.
    expect(await form.getByTestId('plan-calls').getAttribute('data-calls')).toBe(calls);
    expect(await form.locator('summary').first().textContent()).toContain('(1 changed)');
    expect(await noSideways(page)).toBeLessThanOrEqual(width);

    // The start asks for it too (answered here: no model is called).
    let started: { settings?: { reasoning?: string } } | null = null;
    await page.route('**/api/research/runs', (route) => {
      started = route.request().postDataJSON();
      return route.fulfill({ status: 503, json: { error: { code: 'test_stop', message: 'Stopped by the test.' } } });
    });
    await form.getByRole('button', { name: 'Run', exact: true }).click();
    await form.getByTestId('start-error').waitFor();
    expect(started!.settings?.reasoning).toBe('high');
    expect(errors.filter((e) => !e.includes('status of 503'))).toEqual([]);
  });
});
