import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { review } from '../../../../../server/features/research/steps/review.js';
import type { Review } from '../../../../../server/features/research/run-types.js';
import { hypothesis, type Lab, makeRun, openLab, systemOf, userOf, WORDS } from '../harness.js';

let lab: Lab;
beforeEach(async () => {
  lab = await openLab();
});
afterEach(() => lab.close());

const modelReview = (cycle: number): Review => ({
  id: 'r_old',
  cycle,
  by: 'model',
  novelty: { score: 1, reason: '' },
  feasibility: { score: 1, reason: '' },
  testability: { score: 1, reason: '' },
  safety: { flag: false, note: '' },
  references: [],
  summary: 'old',
});

describe('review', () => {
  it('reviews every newcomer that can compete and has no model review, and records each', async () => {
    const scientist = { ...modelReview(0), id: 'r_sci', by: 'scientist' as const };
    lab.put(
      makeRun({
        hypotheses: [
          hypothesis('h_new', WORDS[0]!),
          hypothesis('h_sci', WORDS[1]!, { reviews: [scientist] }), // a scientist's review does not count
          hypothesis('h_done', WORDS[2]!, { reviews: [modelReview(0)] }),
          hypothesis('h_entered', WORDS[3]!, { entered: true }),
          hypothesis('h_dropped', WORDS[4]!, { dropped: true }),
          hypothesis('h_copy', WORDS[5]!, { duplicate_of: 'h_new' }),
        ],
      }),
    );
    const ctx = lab.context();
    await review(ctx);
    const run = lab.run();
    const byId = Object.fromEntries(run.hypotheses.map((h) => [h.id, h.reviews]));
    expect(byId.h_new).toHaveLength(1);
    expect(byId.h_new![0]).toEqual({
      id: expect.stringMatching(/^r_/),
      cycle: 0,
      by: 'model',
      novelty: { score: 4, reason: 'Fresh angle.' },
      feasibility: { score: 3, reason: 'Needs a lab.' },
      testability: { score: 5, reason: 'Clear measure.' },
      plausibility: { score: 4, reason: 'Known mechanisms.' },
      safety: { flag: false, note: '' },
      // Literature off: nothing can check it, so it is shown as unverifiable.
      references: [{ citation: 'Smith et al. 2020', relevance: 'related', status: 'unverifiable', via: null, record: null }],
      summary: 'Strong mechanism; costly test.',
    });
    expect(byId.h_sci!.map((r) => r.by)).toEqual(['scientist', 'model']);
    expect(byId.h_done).toEqual([modelReview(0)]);
    expect(byId.h_entered).toEqual([]);
    expect(byId.h_dropped).toEqual([]);
    expect(byId.h_copy).toEqual([]);
    expect(lab.asked()).toHaveLength(2);
    expect(ctx.emitted.map((e) => e.payload.hypothesis_id).sort()).toEqual(['h_new', 'h_sci']);
    expect(ctx.progressed[0]).toEqual(['review', 0, 2, 'Reviewing']);
    expect(ctx.progressed.at(-1)).toEqual(['review', 2, 2]);
  });

  it('asks for four criteria with rubric anchors, each reason before its score', async () => {
    lab.put(makeRun({ hypotheses: [hypothesis('h_1', WORDS[2]!)] }));
    await review(lab.context());
    const system = systemOf(lab.asked()[0]!);
    for (const anchor of ['novelty: 1 restates a known result', 'feasibility: 1 needs methods', 'testability: 1 no observation', 'plausibility: 1 contradicts'])
      expect(system).toContain(anchor);
    expect(system).toContain('"plausibility": {"reason": "...", "score": 1-5}');
    expect(lab.run().hypotheses[0]!.reviews[0]!.plausibility).toEqual({ score: 4, reason: 'Known mechanisms.' });
  });

  it('asks about the hypothesis under review', async () => {
    lab.put(makeRun({ hypotheses: [hypothesis('h_1', WORDS[2]!)] }));
    await review(lab.context());
    expect(userOf(lab.asked()[0]!)).toContain('glacier drives melting');
  });

  it('asks nothing when every hypothesis is reviewed', async () => {
    lab.put(makeRun({ hypotheses: [hypothesis('h_done', WORDS[0]!, { reviews: [modelReview(0)] })] }));
    const ctx = lab.context();
    await review(ctx);
    expect(lab.asked()).toHaveLength(0);
    expect(ctx.progressed).toEqual([['review', 0, 0, 'Reviewing']]);
  });
});
