import { afterEach, describe, expect, it } from 'vitest';
import { judgePrompt } from '../../../../../server/features/research/prompts/judge.js';
import { deepReview } from '../../../../../server/features/research/steps/deep-review.js';
import { hypothesis, type Lab, makeRun, openLab, settings, systemOf, WORDS } from '../harness.js';

let lab: Lab;
afterEach(() => lab.close());

const rated = () => [
  hypothesis('h_low', WORDS[0]!, { elo: 1100 }),
  hypothesis('h_top', WORDS[1]!, { elo: 1300 }),
  hypothesis('h_second', WORDS[2]!, { elo: 1250 }),
];

describe('deepReview', () => {
  it('verifies each of the top k in depth, once: assumptions judged one by one, and what would sink it', async () => {
    lab = await openLab();
    lab.put(makeRun({ settings: settings({ top_k: 2 }), hypotheses: rated() }));
    const ctx = lab.context();
    await deepReview(ctx);
    const byId = Object.fromEntries(lab.run().hypotheses.map((h) => [h.id, h.deep_review]));
    expect(byId.h_low).toBeNull();
    expect(byId.h_top).toMatchObject({
      cycle: 0,
      assumptions: [
        { assumption: 'The effect is causal.', verdict: 'supported' },
        { assumption: 'It holds in adults.', verdict: 'uncertain', evidence: [] },
      ],
      sink: 'DEEP-SINK: a null result in a large adult trial.',
    });
    expect(byId.h_second).not.toBeNull();
    expect(
      lab
        .asked()
        .map(systemOf)
        .every((s) => /verify a leading research hypothesis/.test(s)),
    ).toBe(true);
    expect(ctx.emitted.map((e) => e.kind)).toEqual(['deep_review', 'deep_review']);
    // A leader verified before is not verified again.
    await deepReview(lab.context(1));
    expect(lab.asked()).toHaveLength(2);
    // Judges read it from then on.
    const top = lab.run().hypotheses.find((h) => h.id === 'h_top')!;
    expect(judgePrompt('goal', top, rated()[0]!)[1]!.content).toContain('Deep verification: 1 of 2 assumptions supported. uncertain: It holds in adults.');
  });
});
