import { describe, expect, it } from 'vitest';
import { newRecords } from '../../../../server/features/research/grounding.js';
import { runMarkdown } from '../../../../server/features/research/export.js';
import type { ResearchRun } from '../../../../server/features/research/run-types.js';
import { cycle, hypothesis, makeRun, WORDS } from './harness.js';

function fullRun(): ResearchRun {
  const a = hypothesis('h_a', WORDS[0]!, {
    elo: 1216.4,
    wins: 1,
    pinned: true,
    safety_cleared: true, // its review flags it; the scientist cleared the flag, so it still competes
    reviews: [
      {
        id: 'r_1',
        cycle: 0,
        by: 'model',
        novelty: { score: 4, reason: '' },
        feasibility: { score: 3, reason: '' },
        testability: { score: 5, reason: '' },
        safety: { flag: true, note: 'care' },
        references: [{ citation: 'Smith et al. 2020', relevance: 'r', status: 'unverifiable', via: null, record: null }],
        summary: 'Good.',
      },
    ],
  });
  const b = hypothesis('h_b', WORDS[1]!, { elo: 1183.6, losses: 1 });
  const child = hypothesis('h_c', WORDS[2]!, { origin: 'evolved', strategy: 'combine', parents: ['h_a', 'h_b'], cycle: 1 });
  const copy = hypothesis('h_d', WORDS[0]!, { duplicate_of: 'h_a', elo: 1500 });
  const gone = hypothesis('h_e', WORDS[3]!, { dropped: true, elo: 1600 });
  return makeRun({
    cycles: [cycle(0), cycle(1)],
    usage: { calls: 12, usd: 0.0123 },
    hypotheses: [a, b, child, copy, gone],
    matches: [
      {
        id: 'm_1',
        cycle: 0,
        a: 'h_a',
        b: 'h_b',
        winner: 'h_a',
        reason: 'Clearer.',
        elo_before: { a: 1200, b: 1200 },
        elo_delta: 16,
        debate: [{ speaker: 'judge', text: 'x' }],
      },
    ],
    meta_reviews: [{ cycle: 0, strengths: ['s1', 's2'], weaknesses: ['w1'], advice: 'Do more.' }],
    overview: { cycle: 1, summary: 'Summary here.', ranked: [], experiments: ['Exp 1'], open_questions: ['Q 1'], references: [], contacts: [] },
  });
}

describe('runMarkdown', () => {
  it('writes the report: header, overview, leaderboard, hypotheses with reviews, meta-reviews, matches', () => {
    const md = runMarkdown(fullRun(), { simulated: false });
    expect(md.startsWith('# Research run run_test\n\n**Goal.** Find out how the gut microbiome changes sleep quality in adults.\n')).toBe(true);
    expect(md).toContain('Model: test/cheap-model · cycles: 2 · model calls: 12 · cost: $0.0123');
    expect(md).toContain('## Overview\n\nSummary here.\n\n### Proposed experiments\n\n- Exp 1\n\n### Open questions\n\n- Q 1\n');
    // Leaderboard: competing only, best first, Elo rounded.
    expect(md).toContain(
      '| # | Hypothesis | Elo | W–L |\n| --- | --- | --- | --- |\n| 1 | H1: microbiome drives sleep | 1216 | 1–0 |\n| 2 | H3: glacier drives melting | 1200 | 0–0 |\n| 3 | H2: photosynthesis drives algae | 1184 | 0–1 |\n\n',
    );
    expect(md).not.toMatch(/\| \d \| H4:/);
    expect(md).not.toMatch(/\| \d \| H5:/);
    // Every hypothesis, with its origin and flags.
    expect(md).toContain('### H1: microbiome drives sleep\n\n*generated, cycle 1, pinned*');
    expect(md).toContain('*evolved (combine) from H1, H2, cycle 2*');
    expect(md).toContain('*generated, cycle 1, near-copy of H1*');
    expect(md).toContain('*generated, cycle 1, dropped*');
    expect(md).toContain('- **Statement.** Changes in microbiome alter sleep through bacteria.');
    expect(md).toContain('Review (model): novelty 4/5, feasibility 3/5, testability 5/5 · **safety flag**. Good.');
    expect(md).toContain('  - Reference (unverifiable): Smith et al. 2020');
    expect(md).toContain('## Literature\n\n**Methods.** Literature search was off for this run');
    expect(md).toContain('## Meta-reviews\n\n### Cycle 1\n\nStrengths: s1; s2\n\nWeaknesses: w1\n\nDo more.\n');
    expect(md).toContain('## Matches\n\n- Cycle 1: H1 vs H2 → **H1** (+16) after a debate: Clearer.');
    expect(md.endsWith('\n')).toBe(true);
    expect(md).not.toContain('simulated model');
  });

  it('carries the literature: statuses and records of references, grounding of hypotheses, contacts, notices and a methods note', () => {
    const base = fullRun();
    const records = newRecords(
      [],
      [
        {
          id: 'doi:10.1/kefir',
          source: 'openalex',
          title: 'Kefir and sleep onset',
          authors: ['Ada Lovelace', 'B', 'C', 'Grace Hopper'],
          year: 2021,
          venue: 'Sleep',
          ids: { doi: '10.1/kefir', pmid: '123' },
          url: 'https://doi.org/10.1/kefir',
          abstract: 'Kefir shortened sleep onset.',
        },
      ],
      0,
    );
    const a = base.hypotheses[0]!;
    Object.assign(a, {
      assumptions: ['Microbes reach the gut'],
      predictions: ['Shorter sleep onset'],
      falsification: 'No change in onset',
      citations: [1],
      evidence: [{ n: 1, quote: 'Kefir shortened sleep onset.' }],
      quotes_dropped: 1,
      prior_work: [{ n: 1, similarity: 0.82 }],
      may_be_published: true,
    });
    const record = {
      id: 'doi:10.1/kefir',
      source: 'openalex' as const,
      title: 'Kefir and sleep onset',
      year: 2021,
      url: 'https://doi.org/10.1/kefir',
      ids: { doi: '10.1/kefir' },
    };
    a.reviews[0]!.references = [
      { citation: '[1]', relevance: '', status: 'verified', via: 'excerpt', record },
      { citation: 'Invented, doi:10.9/x', relevance: '', status: 'not_found', via: 'doi', record: null },
    ];
    const run = {
      ...base,
      cycles: base.cycles.map((c, i) => ({ ...c, lookups: 5, started_at: Date.UTC(2026, 11, 6, 10 + i), finished_at: Date.UTC(2026, 11, 6, 11 + i) })),
      literature: {
        records,
        queries: [{ cycle: 0, query: 'kefir sleep', found: 3, added: 1 }],
        notices: [{ cycle: 1, source: 'arxiv' as const, message: 'arXiv unavailable this cycle: it answered 503.' }],
        sources: ['openalex' as const, 'arxiv' as const],
      },
      overview: { ...base.overview!, references: [], contacts: [{ name: 'Ada Lovelace', n: 1, hypotheses: ['h_a'] }] },
    };
    const md = runMarkdown(run, { simulated: false });
    expect(md).toContain('  - Reference (verified): \\[1\\] → [Kefir and sleep onset](<https://doi.org/10.1/kefir>) (2021)');
    expect(md).toContain('  - Reference (**not found**): Invented, doi:10.9/x\n');
    expect(md).toContain(
      '- **Assumptions.** Microbes reach the gut\n- **Predictions.** Shorter sleep onset\n- **Falsified if.** No change in onset\n- **Cites.** \\[1\\]',
    );
    expect(md).toContain('- **Evidence \\[1\\].** “Kefir shortened sleep onset.”');
    expect(md).toContain('- *1 quote dropped: not found in the cited abstract.*');
    expect(md).toContain('- **Closest prior work.** \\[1\\] (82% similar)');
    expect(md).toContain('- **May be published:**');
    expect(md).toContain('- Ada Lovelace, author of [1] (cited by H1)');
    expect(md).toContain(
      '**Methods.** Searched OpenAlex and arXiv on 2026-12-06 with 1 query over 1 cycle (10 requests; cached answers ask no one again). 1 record kept',
    );
    expect(md).toContain('References the model named: 1 verified, 1 not found, 0 unverifiable.');
    expect(md).toContain('- Cycle 2: arXiv unavailable this cycle: it answered 503.');
    expect(md).toContain(
      '1. [Kefir and sleep onset](<https://doi.org/10.1/kefir>). Ada Lovelace, B, C et al.. 2021. Sleep. doi:10.1/kefir, PMID 123. from openalex',
    );
  });

  it('says when the content came from the simulated model', () => {
    expect(runMarkdown(makeRun(), { simulated: true })).toContain('> Made with a **simulated model** (npm run demo)');
  });

  it('leaves out empty sections', () => {
    const md = runMarkdown(makeRun(), { simulated: false });
    expect(md).not.toContain('## Overview');
    expect(md).not.toContain('## Meta-reviews');
    expect(md).not.toContain('## Matches');
    expect(md).toContain('## Leaderboard');
    expect(md).toContain('## Hypotheses');
  });

  it('makes model and scientist text inert: HTML escaped, Markdown syntax escaped, one line', () => {
    const run = makeRun({
      goal: 'Line one\n\n# Heading <script>alert(1)</script> & [link](http://x) ![img](y) *em* _u_ `code` | pipe',
      hypotheses: [hypothesis('h_x', WORDS[0]!, { title: '<img src=x onerror=alert(1)>', statement: 'a\nb' })],
    });
    const md = runMarkdown(run, { simulated: false });
    const goalLine = md.split('\n').find((l) => l.startsWith('**Goal.**'))!;
    expect(goalLine).toBe(
      '**Goal.** Line one \\# Heading &lt;script&gt;alert\\(1\\)&lt;/script&gt; &amp; \\[link\\]\\(http://x\\) \\!\\[img\\]\\(y\\) \\*em\\* \\_u\\_ \\`code\\` \\| pipe',
    );
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).toContain('### H1: &lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(md).toContain('- **Statement.** a b');
  });
});
