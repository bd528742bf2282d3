import { expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser } from '../helpers/browser.js';
import { DEEP_REVIEW, LEADER_ID, PLAN, PLAN_RUN_ID, PLAUSIBILITY, writePlanState } from '../helpers/research-plan-fixture.js';
import { researchPage } from '../helpers/research-page.js';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib, so name what they touch.
declare const document: { documentElement: { scrollWidth: number }; activeElement: { id: string; textContent: string | null } | null };

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const WAIT_MS = 15_000;
const FREE = 'meta-llama/llama-3.3-70b-instruct:free';

const card = (page: Page, id: string) => page.locator(`[data-testid="hypothesis"][data-id="${id}"]`);
const squash = (t: string | null) => (t ?? '').replace(/\s+/g, ' ').trim();
const texts = async (page: Page, selector: string) => (await page.locator(selector).allTextContents()).map(squash);
const noSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describeBrowser('a research run’s plan, a leader’s deep verification and plausibility', () => {
  const lab = researchPage({
    prefix: 'labcoat-plan-',
    write: writePlanState,
    config: { cost_control: { allowed_models: { development: [FREE] }, tiers: { anonymous: [FREE] } } },
    waitMs: WAIT_MS,
  });
  async function open(width: number, colorScheme: 'light' | 'dark') {
    const opened = await lab.open(`#/research/${PLAN_RUN_ID}`, width, colorScheme);
    await opened.page.getByTestId('research-plan').waitFor();
    return opened;
  }
  const becomeOwner = (page: Page) => lab.becomeOwner(page, PLAN_RUN_ID);

  it.each([
    { width: 1280, scheme: 'light' as const },
    { width: 390, scheme: 'dark' as const },
  ])(
    'shows the plan, read-only to a visitor, each verdict of a deep review with what would sink it, and plausibility at $width px ($scheme)',
    async ({ width, scheme }) => {
      const { page, errors } = await open(width, scheme);
      const plan = page.getByTestId('research-plan');
      expect(await plan.getByTestId('rp-objective').textContent()).toBe(PLAN.objective);
      expect(await plan.getByTestId('rp-domain').textContent()).toBe(PLAN.domain);
      expect(await texts(page, '[data-testid="rp-preferences"] li')).toEqual(PLAN.preferences);
      expect(await texts(page, '[data-testid="rp-constraints"] li')).toEqual(PLAN.constraints);
      expect(await texts(page, '[data-testid="rp-attributes"] li')).toEqual(PLAN.attributes);
      expect(await plan.textContent()).toContain('Every prompt of the next cycles reads this plan');
      // Someone else's run: no editing.
      expect(await page.getByRole('button', { name: /plan/i }).count()).toBe(0);

      // The leader's deep verification, folded, counts its verdicts; open, each in words and a mark.
      const deep = card(page, LEADER_ID).getByTestId('deep-review');
      expect(squash(await deep.locator('summary').textContent())).toBe('Deep verification (cycle 2) 1 supported · 1 uncertain · 1 invalidating');
      expect(await card(page, 'h_rhythm').getByTestId('deep-review').count()).toBe(0);
      await deep.locator('summary').click();
      const rows = deep.getByTestId('deep-assumption');
      expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict')))).toEqual(['supported', 'uncertain', 'invalidating']);
      const marks = { supported: '✓ supported', uncertain: '? uncertain', invalidating: '✗ invalidating' };
      const each = `[data-id="${LEADER_ID}"] [data-testid="deep-assumption"]`;
      expect(await texts(page, `${each} p:first-child`)).toEqual(DEEP_REVIEW.assumptions.map((a) => `${marks[a.verdict]} ${a.assumption}`));
      expect(await texts(page, `${each} .deep-reason`)).toEqual(
        DEEP_REVIEW.assumptions.map((a) => squash(`${a.reason} ${a.evidence.map((n) => `[${n}]`).join(' ')}`)),
      );
      expect(await rows.nth(0).getByTestId('cite-chip').getAttribute('aria-label')).toContain('[1] Gut microbiota diversity and sleep quality');
      expect(squash(await deep.getByTestId('deep-sink').textContent())).toBe(`Would sink it: ${DEEP_REVIEW.sink}`);
      expect(await rows.nth(2).isVisible()).toBe(true);

      // Plausibility beside the other scores where a review gave it, and not where it did not.
      const scored = card(page, LEADER_ID).getByTestId('review').locator('.score');
      expect(squash(await scored.last().textContent())).toBe(`Plausibility ${PLAUSIBILITY.score}/5${PLAUSIBILITY.reason}`);
      expect(await scored.count()).toBe(4);
      expect(await card(page, 'h_rhythm').getByTestId('review').locator('.score').count()).toBe(3);

      expect(await noSideways(page)).toBeLessThanOrEqual(width);
      expect(errors).toEqual([]);
    },
  );

  it('lets the owner edit the plan between cycles: the PUT carries the edited fields, a bad one shows the server’s error', async () => {
    const { page, errors } = await open(390, 'light');
    await becomeOwner(page);
    const plan = page.getByTestId('research-plan');
    const puts: unknown[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT') puts.push(r.postDataJSON());
    });

    // Cancel leaves the plan as it was, and sends nothing.
    await plan.getByRole('button', { name: 'Edit plan' }).click();
    const objective = plan.getByLabel('Objective');
    expect(await objective.inputValue()).toBe(PLAN.objective);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('rp-objective');
    expect(await plan.getByLabel('Preferences').inputValue()).toBe(PLAN.preferences.join('\n'));
    await objective.fill('Something else entirely');
    await plan.getByRole('button', { name: 'Cancel' }).click();
    expect(await plan.getByTestId('rp-objective').textContent()).toBe(PLAN.objective);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Edit plan');
    expect(puts).toEqual([]);

    // An empty objective: the server refuses it, and its message shows.
    await plan.getByRole('button', { name: 'Edit plan' }).click();
    await objective.fill('  ');
    const refused = page.waitForResponse((r) => r.request().method() === 'PUT');
    await plan.getByRole('button', { name: 'Save plan' }).click();
    const answer = await refused;
    expect(answer.status()).toBe(422);
    const { error } = (await answer.json()) as { error: { code: string; message: string } };
    expect(await plan.getByTestId('rp-error').textContent()).toBe(error.message);
    expect(await plan.getByRole('alert').count()).toBe(1);

    // More lines than the server takes are pointed out as they are typed.
    const constraints = plan.getByLabel('Constraints');
    await constraints.fill(['a', 'b', 'c', 'd', 'e', 'f', 'g'].join('\n'));
    expect(await constraints.getAttribute('aria-invalid')).toBe('true');
    expect(await plan.locator('#rp-constraints-note').textContent()).toBe('7 lines: at most 6.');
    await constraints.fill(PLAN.constraints.join('\n'));

    // A good edit: trimmed, blank lines left out; the view and the stored run follow.
    await objective.fill('Test whether fibre timing shifts sleep onset in adults.');
    await plan.getByLabel('Domain').fill('Chronobiology');
    await plan.getByLabel('Preferences').fill('  Cheap observational studies \n\nWearable sleep data\n');
    const saved = page.waitForResponse((r) => r.request().method() === 'PUT');
    await plan.getByRole('button', { name: 'Save plan' }).click();
    expect((await saved).status()).toBe(200);
    const edited = {
      objective: 'Test whether fibre timing shifts sleep onset in adults.',
      domain: 'Chronobiology',
      preferences: ['Cheap observational studies', 'Wearable sleep data'],
      constraints: PLAN.constraints,
      attributes: PLAN.attributes,
    };
    expect(puts.at(-1)).toEqual(edited);
    await plan.getByTestId('rp-objective').waitFor();
    expect(await plan.getByTestId('rp-objective').textContent()).toBe(edited.objective);
    expect(await plan.getByTestId('rp-domain').textContent()).toBe(edited.domain);
    expect(await texts(page, '[data-testid="rp-preferences"] li')).toEqual(edited.preferences);
    expect(await plan.getByTestId('rp-form').count()).toBe(0);
    expect(lab.server.store.data.research_runs[PLAN_RUN_ID]!.plan).toEqual(edited);
    expect(await noSideways(page)).toBeLessThanOrEqual(390);

    // The scientist's review may score plausibility too.
    const form = page.getByTestId('review-form');
    const posts: Array<{ plausibility?: unknown }> = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/reviews')) posts.push(r.postDataJSON());
    });
    await form.getByLabel('Hypothesis').selectOption('h_rhythm');
    for (const aspect of ['novelty', 'feasibility', 'testability']) await form.locator(`#review-${aspect}-reason`).fill('Fine.');
    expect(await form.locator('#review-plausibility-reason').isDisabled()).toBe(true);
    await form.getByLabel('Plausibility').selectOption('4');
    await form.locator('#review-plausibility-reason').fill('Fits known metabolite rhythms.');
    await form.getByLabel('Summary').fill('Worth a pilot.');
    const reviewed = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/reviews'));
    await form.getByRole('button', { name: 'Add review' }).click();
    expect((await reviewed).status()).toBe(201);
    expect(posts.at(-1)?.plausibility).toEqual({ score: 4, reason: 'Fits known metabolite rhythms.' });
    const mine = card(page, 'h_rhythm').locator('[data-testid="review"][data-by="scientist"]');
    await mine.waitFor();
    expect(squash(await mine.locator('.score').last().textContent())).toBe('Plausibility 4/5Fits known metabolite rhythms.');

    // While a cycle runs, the owner reads the plan too.
    lab.server.store.update((s) => void (s.research_runs[PLAN_RUN_ID]!.state = 'running'));
    await page.reload();
    await page.locator('[data-testid="run"][data-state="running"]').waitFor();
    expect(await plan.getByRole('button', { name: /plan/i }).count()).toBe(0);
    expect(await plan.textContent()).toContain('You can edit it when the cycle in progress ends.');
    lab.server.store.update((s) => void (s.research_runs[PLAN_RUN_ID]!.state = 'idle'));

    expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
  });
});
