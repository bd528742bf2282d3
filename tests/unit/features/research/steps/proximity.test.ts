import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DUPLICATE_AT, flagDuplicates } from '../../../../../server/features/research/steps/proximity.js';
import { hypothesis, type Lab, makeRun, openLab, WORDS } from '../harness.js';

let lab: Lab;
beforeEach(async () => {
  lab = await openLab();
});
afterEach(() => lab.close());

describe('flagDuplicates', () => {
  it('flags the later of two near-copies as a duplicate of the earlier, without a model call', async () => {
    lab.put(makeRun({ hypotheses: [hypothesis('h_a', WORDS[0]!), hypothesis('h_b', WORDS[1]!), hypothesis('h_a2', WORDS[0]!)] }));
    const ctx = lab.context();
    flagDuplicates(ctx);
    const dup = Object.fromEntries(lab.run().hypotheses.map((h) => [h.id, h.duplicate_of]));
    expect(dup).toEqual({ h_a: null, h_b: null, h_a2: 'h_a' });
    expect(ctx.emitted).toEqual([{ kind: 'duplicate', payload: { hypothesis_id: 'h_a2', duplicate_of: 'h_a' } }]);
    expect(ctx.progressed).toEqual([['proximity', 1, 1, '1 near-duplicates flagged']]);
    expect(lab.asked()).toHaveLength(0);
  });

  it('leaves a child close to its own parent competing until it has played (finding 4)', async () => {
    const parent = hypothesis('h_p', WORDS[0]!, { entered: true });
    const child = hypothesis('h_c', WORDS[0]!, { origin: 'evolved', parents: ['h_p'], entered: false });
    lab.put(makeRun({ hypotheses: [parent, child] }));
    flagDuplicates(lab.context());
    expect(lab.run().hypotheses.map((h) => h.duplicate_of)).toEqual([null, null]);
    // Once it has played and is still a copy, it is flagged like any other.
    lab.put({ ...lab.run(), hypotheses: [parent, { ...child, entered: true }] });
    flagDuplicates(lab.context(1));
    expect(lab.run().hypotheses.map((h) => h.duplicate_of)).toEqual([null, 'h_p']);
  });

  it('never flags a pinned hypothesis', async () => {
    lab.put(makeRun({ hypotheses: [hypothesis('h_a', WORDS[0]!), hypothesis('h_a2', WORDS[0]!, { pinned: true })] }));
    const ctx = lab.context();
    flagDuplicates(ctx);
    expect(lab.run().hypotheses.map((h) => h.duplicate_of)).toEqual([null, null]);
    expect(ctx.progressed).toEqual([['proximity', 1, 1, 'No near-duplicates']]);
  });

  it('compares only hypotheses still competing (a dropped one is not an original)', async () => {
    lab.put(makeRun({ hypotheses: [hypothesis('h_a', WORDS[0]!, { dropped: true }), hypothesis('h_a2', WORDS[0]!)] }));
    flagDuplicates(lab.context());
    expect(lab.run().hypotheses.map((h) => h.duplicate_of)).toEqual([null, null]);
  });

  it('keeps a chain of copies to the first: a flagged one is not the original of another', async () => {
    lab.put(makeRun({ hypotheses: [hypothesis('h_1', WORDS[3]!), hypothesis('h_2', WORDS[3]!), hypothesis('h_3', WORDS[3]!)] }));
    flagDuplicates(lab.context());
    expect(lab.run().hypotheses.map((h) => h.duplicate_of)).toEqual([null, 'h_1', 'h_1']);
  });

  it('flags at three quarters similarity', () => {
    expect(DUPLICATE_AT).toBe(0.75);
  });
});
