import { afterEach, describe, expect, it } from 'vitest';
import { evolve, strategyFor } from '../../../../../server/features/research/steps/evolve.js';
import { STRATEGIES } from '../../../../../server/features/research/prompts/evolve.js';
import { hypothesis, type Lab, makeRun, openLab, settings, userOf, WORDS } from '../harness.js';

let lab: Lab;
afterEach(() => lab.close());

const rated = () => [
  hypothesis('h_third', WORDS[0]!, { elo: 1100 }),
  hypothesis('h_top', WORDS[1]!, { elo: 1300 }),
  hypothesis('h_second', WORDS[2]!, { elo: 1250 }),
  hypothesis('h_gone', WORDS[3]!, { elo: 1500, dropped: true }),
];

describe('evolve', () => {
  it('gives each of the top k a child by a named strategy; the first combines the two leaders', async () => {
    lab = await openLab();
    lab.put(makeRun({ settings: settings({ top_k: 2 }), hypotheses: rated() }));
    const ctx = lab.context(1);
    await evolve(ctx);
    const children = lab.run().hypotheses.filter((h) => h.origin === 'evolved');
    expect(children.map((c) => [c.strategy, c.parents]).sort()).toEqual([
      ['combine', ['h_top', 'h_second']],
      ['simplify', ['h_second']],
    ]);
    for (const c of children) expect(c).toMatchObject({ cycle: 1, entered: false, reviews: [], wins: 0, losses: 0 });
    expect(ctx.emitted.map((e) => [e.kind, e.payload.change])).toEqual([
      ['child', 'Sharpened the mechanism.'],
      ['child', 'Sharpened the mechanism.'],
    ]);
    expect(ctx.progressed[0]).toEqual(['evolve', 0, 2, 'Evolving the leaders']);
    const prompts = lab.asked().map(userOf).join('\n');
    expect(prompts).toContain(STRATEGIES.combine);
    expect(prompts).toContain(STRATEGIES.simplify);
    expect(prompts).not.toContain('neuron drives plasticity'); // a dropped hypothesis is never a parent
  });

  it('rotates through every strategy across cycles, not only the first two (finding 2)', async () => {
    lab = await openLab();
    lab.put(makeRun({ settings: settings({ top_k: 2 }), hypotheses: rated() }));
    for (let c = 1; c <= 3; c++) {
      // Each cycle's children are made from the same leaders; earlier children stay in the run.
      lab.put({
        ...lab.run(),
        hypotheses: [
          ...rated(),
          ...lab
            .run()
            .hypotheses.filter((h) => h.origin === 'evolved')
            .map((h) => ({ ...h, dropped: true })),
        ],
      });
      await evolve(lab.context(c));
    }
    const used = lab
      .run()
      .hypotheses.filter((h) => h.origin === 'evolved')
      .sort((a, b) => a.cycle - b.cycle)
      .map((h) => h.strategy);
    expect(used).toEqual(['combine', 'simplify', 'ground', 'out_of_the_box', 'feasibility', 'inspiration']);
    const inspired = lab.run().hypotheses.find((h) => h.strategy === 'inspiration')!;
    expect(inspired.parents[0]).toBe('h_second');
    expect(inspired.parents.slice(1)).toEqual(['h_top', 'h_third']);
    expect(lab.asked().map(userOf).at(-1)).toContain('Other top idea 2:');
  });

  it('skips a strategy that needs another hypothesis when the pool has one', () => {
    expect(strategyFor(0, 1)).toBe('simplify');
    expect(strategyFor(5, 1)).toBe('simplify'); // inspiration, then combine, both need another
    expect(strategyFor(0, 2)).toBe('combine');
  });

  it('resumes: a parent that already has a child from this cycle gets no other', async () => {
    lab = await openLab();
    const child = hypothesis('h_child', WORDS[4]!, { origin: 'evolved', cycle: 1, strategy: 'combine', parents: ['h_top', 'h_second'] });
    lab.put(makeRun({ settings: settings({ top_k: 2 }), hypotheses: [...rated(), child] }));
    const ctx = lab.context(1);
    await evolve(ctx);
    expect(lab.asked()).toHaveLength(1);
    const evolved = lab.run().hypotheses.filter((h) => h.origin === 'evolved');
    expect(evolved.map((c) => c.parents[0])).toEqual(['h_top', 'h_second']);
    expect(ctx.progressed[0]).toEqual(['evolve', 1, 2, 'Evolving the leaders']);
  });

  it('does nothing with top_k 0', async () => {
    lab = await openLab();
    lab.put(makeRun({ settings: settings({ top_k: 0 }), hypotheses: rated() }));
    await evolve(lab.context());
    expect(lab.asked()).toHaveLength(0);
    expect(lab.run().hypotheses).toHaveLength(4);
  });
});
