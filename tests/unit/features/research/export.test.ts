import { describe, expect, it } from 'vitest';
import { runMarkdown } from '../../../../server/features/research/export.js';
import type { ResearchRun } from '../../../../server/features/research/run-types.js';
import { cycle, hypothesis, makeRun, WORDS } from './harness.js';

function fullRun(): ResearchRun {
  const a = hypothesis('h_a', WORDS[0]!, {
    elo: 1216.4,
    wins: 1,
    pinned: true,
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
      '| # | Hypothesis | Elo | W–L |\n| --- | --- | --- | --- |\n| 1 | microbiome drives sleep (h_a) | 1216 | 1–0 |\n| 2 | glacier drives melting (h_c) | 1200 | 0–0 |\n| 3 | photosynthesis drives algae (h_b) | 1184 | 0–1 |\n\n',
    );
    expect(md).not.toMatch(/\| \d \| .*\(h_d\)/);
    expect(md).not.toMatch(/\| \d \| .*\(h_e\)/);
    // Every hypothesis, with its origin and flags.
    expect(md).toContain('### microbiome drives sleep (h_a)\n\n*generated, cycle 1, pinned*');
    expect(md).toContain('*evolved (combine) from h_a, h_b, cycle 2*');
    expect(md).toContain('*generated, cycle 1, near-copy of h_a*');
    expect(md).toContain('*generated, cycle 1, dropped*');
    expect(md).toContain('- **Statement.** Changes in microbiome alter sleep through bacteria.');
    expect(md).toContain('Review (model): novelty 4/5, feasibility 3/5, testability 5/5 · **safety flag**. Good.');
    expect(md).toContain('  - Unverified reference: Smith et al. 2020');
    expect(md).toContain('## Meta-reviews\n\n### Cycle 1\n\nStrengths: s1; s2\n\nWeaknesses: w1\n\nDo more.\n');
    expect(md).toContain('## Matches\n\n- Cycle 1: h_a vs h_b → **h_a** (+16) after a debate: Clearer.');
    expect(md.endsWith('\n')).toBe(true);
    expect(md).not.toContain('simulated model');
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
    expect(md).toContain('### &lt;img src=x onerror=alert\\(1\\)&gt; (h_x)');
    expect(md).toContain('- **Statement.** a b');
  });
});
