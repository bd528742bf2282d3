import { afterEach, describe, expect, it } from 'vitest';
import { metaReview } from '../../../../../server/features/research/steps/meta-review.js';
import type { Match, Review } from '../../../../../server/features/research/run-types.js';
import { hypothesis, type Lab, makeRun, openLab, userOf, WORDS } from '../harness.js';

let lab: Lab;
afterEach(() => lab.close());

const review = (cycle: number, summary: string): Review => ({
  id: `r_${summary}`,
  cycle,
  by: 'model',
  novelty: { score: 3, reason: '' },
  feasibility: { score: 3, reason: '' },
  testability: { score: 3, reason: '' },
  safety: { flag: false, note: '' },
  references: [],
  summary,
});
const match = (cycle: number, winner: string, reason: string): Match => ({
  id: `m_${reason}`,
  cycle,
  a: 'h_a',
  b: 'h_b',
  winner,
  reason,
  elo_before: { a: 1200, b: 1200 },
  elo_delta: 16,
  debate: null,
});

describe('metaReview', () => {
  it('reads this cycle’s reviews and verdicts and appends the meta-review', async () => {
    lab = await openLab();
    lab.put(
      makeRun({
        hypotheses: [hypothesis('h_a', WORDS[0]!, { reviews: [review(0, 'OLD-REVIEW'), review(1, 'NEW-REVIEW')] }), hypothesis('h_b', WORDS[1]!)],
        matches: [match(0, 'h_a', 'OLD-VERDICT'), match(1, 'h_b', 'NEW-VERDICT')],
      }),
    );
    const ctx = lab.context(1);
    await metaReview(ctx);
    const prompt = userOf(lab.asked()[0]!);
    expect(prompt).toContain('Review of "microbiome drives sleep": NEW-REVIEW');
    expect(prompt).toContain('Match "microbiome drives sleep" vs "photosynthesis drives algae", won by "photosynthesis drives algae": NEW-VERDICT');
    expect(prompt).not.toContain('OLD-REVIEW');
    expect(prompt).not.toContain('OLD-VERDICT');

    const metas = lab.run().meta_reviews;
    expect(metas).toHaveLength(1);
    expect(metas[0]).toMatchObject({ cycle: 1, strengths: ['clear mechanisms'], weaknesses: ['expensive tests'] });
    expect(metas[0]!.advice).toMatch(/^META-ADVICE-/);
    expect(ctx.emitted).toEqual([{ kind: 'meta_review', payload: { meta_review: metas[0] } }]);
    expect(ctx.progressed).toEqual([
      ['meta_review', 0, 1, 'Writing the meta-review'],
      ['meta_review', 1, 1],
    ]);
  });

  it('puts the scientist’s reviews first and sums up debates from what was argued (findings 1 and 7)', async () => {
    lab = await openLab();
    const own: Review = { ...review(1, 'SCIENTIST-SAYS-TOO-COSTLY'), id: 'r_own', by: 'scientist' };
    const debated: Match = {
      ...match(1, 'h_a', 'DEBATE-VERDICT'),
      debate: [
        { speaker: 'A', text: 'ARGUMENT-FOR-A' },
        { speaker: 'B', text: 'ARGUMENT-FOR-B' },
        { speaker: 'judge', text: 'DEBATE-VERDICT' },
      ],
    };
    lab.put(
      makeRun({
        hypotheses: [hypothesis('h_a', WORDS[0]!, { reviews: [review(1, 'MODEL-REVIEW'), own] }), hypothesis('h_b', WORDS[1]!)],
        matches: [debated],
      }),
    );
    await metaReview(lab.context(1));
    const prompt = userOf(lab.asked()[0]!);
    const said = prompt.slice(prompt.indexOf('What the reviewers and judges said'));
    expect(said.indexOf('The scientist\'s review of "microbiome drives sleep": SCIENTIST-SAYS-TOO-COSTLY')).toBeLessThan(said.indexOf('MODEL-REVIEW'));
    expect(said).toContain('A: ARGUMENT-FOR-A\nB: ARGUMENT-FOR-B');
  });
});
