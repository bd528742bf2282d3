import { afterEach, describe, expect, it } from 'vitest';
import { generate } from '../../../../../server/features/research/steps/generate.js';
import { ELO_START } from '../../../../../server/features/research/elo.js';
import { hypothesis, type Lab, makeRun, openLab, settings, userOf, WORDS } from '../harness.js';

let lab: Lab;
afterEach(() => lab.close());

const drafts = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ title: `Idea ${i}`, statement: `Claim ${i}.`, rationale: `Because ${i}.`, test: `Test ${i}.` }));

describe('generate', () => {
  it('adds settings.hypotheses new hypotheses to the run, unrated and waiting, and announces each', async () => {
    lab = await openLab();
    lab.put(makeRun({ settings: settings({ hypotheses: 3 }) }));
    const ctx = lab.context();
    await generate(ctx);
    const hs = lab.run().hypotheses;
    expect(hs).toHaveLength(3);
    for (const h of hs) {
      expect(h).toMatchObject({
        cycle: 0,
        origin: 'generated',
        elo: ELO_START,
        wins: 0,
        losses: 0,
        reviews: [],
        entered: false,
        duplicate_of: null,
        strategy: null,
      });
      expect(h.id).toMatch(/^h_/);
    }
    expect(new Set(hs.map((h) => h.id)).size).toBe(3);
    expect(ctx.emitted.map((e) => e.kind)).toEqual(['hypothesis', 'hypothesis', 'hypothesis']);
    expect(ctx.emitted.map((e) => (e.payload.hypothesis as { id: string }).id)).toEqual(hs.map((h) => h.id));
    expect(ctx.progressed[0]).toEqual(['generate', 0, 3, 'Generating 3 hypotheses']);
    expect(ctx.progressed.at(-1)).toEqual(['generate', 3, 3]);
    expect(userOf(lab.asked()[0]!)).toContain('Propose exactly 3 new hypotheses.');
  });

  it('lists every earlier hypothesis beyond the ones it builds on, newest cycle and best first, so none comes back (finding 8)', async () => {
    lab = await openLab();
    lab.put(
      makeRun({
        settings: settings({ hypotheses: 1 }),
        hypotheses: [
          hypothesis('h_a', WORDS[0]!, { elo: 1300, cycle: 0, title: 'TOP-OF-CYCLE-1' }),
          hypothesis('h_b', WORDS[1]!, { elo: 1100, cycle: 0, title: 'WEAK-OF-CYCLE-1' }),
          hypothesis('h_c', WORDS[2]!, { elo: 1150, cycle: 1, title: 'WEAK-OF-CYCLE-2' }),
          hypothesis('h_d', WORDS[3]!, { elo: 1250, cycle: 1, title: 'BEST-OF-CYCLE-2' }),
          hypothesis('h_e', WORDS[4]!, { elo: 1000, cycle: 0, title: 'DROPPED-ONE', dropped: true }),
        ],
      }),
    );
    await generate(lab.context(2));
    const prompt = userOf(lab.asked()[0]!);
    expect(prompt).toContain('#1\nTitle: TOP-OF-CYCLE-1'); // the leader, to build on
    const list = prompt.slice(prompt.indexOf('Also explored earlier'));
    expect(list).toBe('Also explored earlier (do not repeat):\n- BEST-OF-CYCLE-2\n- WEAK-OF-CYCLE-2\n- WEAK-OF-CYCLE-1\n- DROPPED-ONE');
  });

  it('keeps the first N when the model returns more, and what came when it returns fewer', async () => {
    let answer = drafts(5);
    lab = await openLab({ generate: () => ({ kind: 'ok', content: JSON.stringify({ hypotheses: answer }) }) });
    lab.put(makeRun({ settings: settings({ hypotheses: 2 }) }));
    await generate(lab.context());
    expect(lab.run().hypotheses.map((h) => h.title)).toEqual(['Idea 0', 'Idea 1']);
    answer = drafts(1);
    await generate(lab.context(1));
    expect(lab.run().hypotheses.map((h) => [h.title, h.cycle])).toEqual([
      ['Idea 0', 0],
      ['Idea 1', 0],
      ['Idea 0', 1],
    ]);
  });

  it('builds on the last meta-review, this cycle’s notes and the pinned and leading hypotheses', async () => {
    lab = await openLab();
    lab.put(
      makeRun({
        settings: settings({ hypotheses: 2 }),
        meta_reviews: [
          { cycle: 0, strengths: ['old'], weaknesses: ['old'], advice: 'OLD ADVICE' },
          { cycle: 1, strengths: ['clear'], weaknesses: ['costly'], advice: 'NEWEST ADVICE' },
        ],
        notes: [
          { cycle: 1, text: 'NOTE FOR THIS CYCLE', at: 0 },
          { cycle: 0, text: 'NOTE FROM BEFORE', at: 0 },
        ],
        hypotheses: [
          hypothesis('h_low', WORDS[0]!, { elo: 1100, pinned: true }),
          hypothesis('h_top', WORDS[1]!, { elo: 1300 }),
          hypothesis('h_mid', WORDS[2]!, { elo: 1250 }),
          hypothesis('h_gone', WORDS[3]!, { elo: 1400, dropped: true }),
        ],
      }),
    );
    await generate(lab.context(1));
    const prompt = userOf(lab.asked()[0]!);
    expect(prompt).toContain('NEWEST ADVICE');
    expect(prompt).not.toContain('OLD ADVICE');
    expect(prompt).toContain('NOTE FOR THIS CYCLE');
    expect(prompt).not.toContain('NOTE FROM BEFORE');
    // In full: pinned first, then the best rated, at most N; dropped never. The others by title only.
    const [blocks, titles] = prompt.split('Also explored earlier');
    expect(blocks!.indexOf('microbiome drives sleep')).toBeGreaterThan(-1);
    expect(blocks!.indexOf('microbiome drives sleep')).toBeLessThan(blocks!.indexOf('photosynthesis drives algae'));
    expect(blocks).not.toContain('glacier drives melting');
    expect(blocks).not.toContain('neuron drives plasticity');
    expect(titles).toContain('- glacier drives melting');
  });
});
