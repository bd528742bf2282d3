import { expect, it, vi } from 'vitest';
import type { Page } from 'playwright-core';
import { describeBrowser } from '../helpers/browser.js';
import {
  HYPOTHESES,
  LIT_RUN_ID,
  literatureRun,
  NOT_FOUND,
  NOTICE,
  OFF_RUN_ID,
  QUOTE,
  RECORDS,
  UNVERIFIABLE,
  VERIFIED,
  writeLiteratureState,
} from '../helpers/research-literature-fixture.js';
import { CLOSED, researchPage } from '../helpers/research-page.js';

// Callbacks given to page.evaluate run in the browser; the project's tsconfig has no DOM lib, so name what they touch.
declare const document: { documentElement: { scrollWidth: number }; activeElement: { id: string } | null };
declare const window: { location: { hash: string }; getComputedStyle(el: unknown): { color: string } };

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const WAIT_MS = 15_000;
const FREE = 'meta-llama/llama-3.3-70b-instruct:free';

const run = literatureRun();
const reviewRefs = run.hypotheses.flatMap((h) => h.reviews).flatMap((r) => r.references);
const debateRefs = run.matches.flatMap((m) => m.debate ?? []).flatMap((t) => t.references ?? []);
const overviewRefs = run.overview!.references;
const allRefs = [...reviewRefs, ...debateRefs, ...overviewRefs];

describeBrowser('a research run with literature', () => {
  const source = { base_url: CLOSED };
  const lab = researchPage({
    prefix: 'labcoat-literature-',
    write: writeLiteratureState,
    config: {
      cost_control: { allowed_models: { development: [FREE] }, tiers: { anonymous: [FREE] } },
      literature: { enabled: true, max_lookups_per_cycle: 60, sources: { openalex: source, europepmc: source, arxiv: source, crossref: source } },
    },
    waitMs: WAIT_MS,
  });
  const open = lab.open;

  /** Unfolds what a reader would: each review's references and each debate. */
  async function unfold(page: Page) {
    for (const summary of await page.locator('[data-testid="review-references"] > summary, .debate > summary').all()) await summary.click();
  }

  const textOf = async (page: Page, selector: string) => (await page.locator(selector).allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());

  it.each([
    { width: 1280, scheme: 'light' as const },
    { width: 390, scheme: 'dark' as const },
  ])('shows the literature, every reference with its badge and what grounds each hypothesis at $width px ($scheme)', async ({ width, scheme }) => {
    const { page, errors } = await open(`#/research/${LIT_RUN_ID}`, width, scheme);
    const lit = page.getByTestId('literature');
    await lit.waitFor();

    // The records: number, title (linked when the record has a URL), authors, year, venue, source, who cites it.
    const records = lit.getByTestId('literature-record');
    expect(await records.count()).toBe(RECORDS.length);
    for (const r of RECORDS) {
      const item = lit.locator(`[data-testid="literature-record"][data-n="${r.n}"]`);
      const text = (await item.textContent())!.replace(/\s+/g, ' ');
      expect(text).toContain(`[${r.n}]`);
      expect(text).toContain(r.title);
      expect(text).toContain(String(r.year));
      expect(text).toContain(r.authors[0]!);
      expect(text).toContain({ openalex: 'OpenAlex', europepmc: 'Europe PMC', arxiv: 'arXiv', crossref: 'Crossref' }[r.source]);
      const link = item.locator('.lit-title a');
      if (r.url) {
        expect(await link.getAttribute('href')).toBe(r.url);
        expect(await link.getAttribute('target')).toBe('_blank');
        expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      } else {
        expect(await link.count()).toBe(0);
      }
    }
    expect(await textOf(page, '[data-testid="literature-record"] .lit-cited')).toEqual([
      'Cited by H1',
      'Cited by H1',
      'Cited by H2',
      'Not cited by a hypothesis',
    ]);

    // The searches of each cycle with what they found, and the source that failed, in view.
    const queries = lit.getByTestId('literature-query');
    expect(await queries.count()).toBe(run.literature!.queries.length);
    expect(await textOf(page, '[data-testid="literature-query"]')).toEqual(run.literature!.queries.map((q) => `${q.query} ${q.found} found · ${q.added} new`));
    const notice = lit.getByTestId('literature-notice');
    expect(await notice.isVisible()).toBe(true);
    expect((await notice.textContent())!).toContain(`Cycle 1: ${NOTICE}`);

    // Every reference, wherever it is shown, carries its status in words.
    await unfold(page);
    const refs = page.getByTestId('reference');
    expect(await refs.count()).toBe(allRefs.length);
    expect(await page.locator('[data-testid="reference"] [data-testid="ref-badge"]').count()).toBe(allRefs.length);
    const badgeText = { verified: '✓verified: open the record', not_found: '✗not found', unverifiable: '?unverifiable' };
    expect((await textOf(page, '[data-testid="reference"] [data-testid="ref-badge"]')).sort()).toEqual(allRefs.map((r) => badgeText[r.status]).sort());
    expect(await page.getByText('unverified').count()).toBe(0);

    // In the first hypothesis's review: verified links to its record, not found stands out, unverifiable is plain.
    const review = page.getByTestId('hypothesis').first().getByTestId('review-references');
    expect((await review.locator('summary').textContent())!).toContain('1 not found');
    const verified = review.locator('[data-testid="ref-badge"][data-status="verified"]');
    expect(await verified.evaluate((el: { tagName: string }) => el.tagName)).toBe('A');
    expect(await verified.getAttribute('href')).toBe(VERIFIED.record!.url);
    expect(await verified.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await verified.getAttribute('title')).toContain(`${RECORDS[0]!.title} (2019)`);
    const missing = review.locator('[data-testid="reference"][data-status="not_found"]');
    expect((await missing.textContent())!).toContain(NOT_FOUND.citation);
    const missingBadge = missing.getByTestId('ref-badge');
    expect(await missingBadge.evaluate((el: { tagName: string }) => el.tagName)).toBe('SPAN');
    const unverifiable = review.locator('[data-testid="reference"][data-status="unverifiable"]');
    expect((await unverifiable.textContent())!).toContain(UNVERIFIABLE.citation);
    const colour = (l: typeof missingBadge) => l.evaluate((el) => window.getComputedStyle(el).color);
    expect(await colour(missingBadge)).not.toBe(await colour(unverifiable.getByTestId('ref-badge')));

    // The hypotheses' grounding: citations, quotes, a dropped quote, prior work, "may be published".
    const h1 = page.locator(`[data-testid="hypothesis"][data-id="${HYPOTHESES[0]!.id}"]`);
    expect(await h1.getByTestId('may-be-published').isVisible()).toBe(true);
    // A hypothesis on the leaderboard links its preregistration draft, which downloads as Markdown.
    const prereg = await h1.getByTestId('prereg').getAttribute('href');
    const draft = await page.request.get(new URL(prereg!, page.url()).href);
    expect(draft.status()).toBe(200);
    expect(await draft.text()).toMatch(/^# Preregistration: H\d\. /);
    expect((await h1.getByTestId('may-be-published').textContent())!).toContain('may be published');
    expect((await h1.getByTestId('quotes-dropped').textContent())!).toContain('1 quote dropped: not in the cited abstract');
    expect((await h1.getByTestId('evidence').textContent())!).toContain(QUOTE);
    expect(await textOf(page, `[data-id="${HYPOTHESES[0]!.id}"] [data-testid="citations"] [data-testid="cite-chip"]`)).toEqual(['[1]', '[2]']);
    expect(await h1.getByTestId('cite-chip').first().getAttribute('title')).toBe(`${RECORDS[0]!.title} (2019)`);
    expect((await h1.getByTestId('prior-work').textContent())!).toContain('91% similar');
    const h2 = page.locator(`[data-testid="hypothesis"][data-id="${HYPOTHESES[1]!.id}"]`);
    expect(await h2.getByTestId('may-be-published').count()).toBe(0);
    expect(await h2.getByTestId('quotes-dropped').count()).toBe(0);

    // A citation shows its record in the Literature section, without leaving the run's address.
    await h2.getByTestId('citations').getByTestId('cite-chip').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('lit-record-3');
    expect(await page.evaluate(() => window.location.hash)).toBe(`#/research/${LIT_RUN_ID}`);

    // The overview: references with badges, and research contacts with their record and hypotheses.
    const overview = page.getByTestId('overview');
    expect(await overview.getByTestId('overview-references').getByTestId('ref-badge').count()).toBe(overviewRefs.length);
    expect(await textOf(page, '[data-testid="contact"]')).toEqual([
      `Ana Costa author of [1] ${RECORDS[0]!.title} for H1`,
      `Farah Ali author of [3] ${RECORDS[2]!.title} for H2 H1`,
    ]);

    // Progress: the literature step and the lookups each cycle made against its bound.
    expect(await page.getByTestId('step-progress').first().textContent()).toContain('Search the literature');
    expect(await textOf(page, '[data-testid="cycle-lookups"]')).toEqual(['· 23 of up to 60 literature lookups', '· 31 of up to 60 literature lookups']);

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    expect(errors).toEqual([]);
  });

  it('says when a run was made with literature off, and marks its references unverifiable', async () => {
    const { page, errors } = await open(`#/research/${OFF_RUN_ID}`, 390, 'light');
    await page.getByTestId('literature-off').waitFor();
    expect(await page.getByTestId('literature-off').textContent()).toBe('Literature off for this run: references are unverifiable.');
    await unfold(page);
    expect(await textOf(page, '[data-testid="ref-badge"]')).toEqual(['?unverifiable']);
    expect(await page.getByTestId('cycle-lookups').count()).toBe(0);
    expect(await page.getByText('Search the literature').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
  });

  it('shows the literature lookups a planned run may make next to its model calls', async () => {
    const { page, errors } = await open('#/research', 1280, 'light');
    const lookups = page.getByTestId('plan-lookups');
    await lookups.waitFor();
    expect(await lookups.textContent()).toBe('up to 60 literature lookups');
    expect(await lookups.getAttribute('data-lookups-max')).toBe('60');
    expect(errors).toEqual([]);
  });
});
