import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { screenGoal } from '../../../../../server/features/research/steps/screen.js';
import { type Lab, makeRun, openLab, userOf } from '../harness.js';

let lab: Lab;
afterEach(() => lab.close());

describe('screenGoal', () => {
  describe('with a goal the model allows', () => {
    beforeEach(async () => {
      lab = await openLab();
      lab.put(makeRun());
    });

    it('records the screening on the run and returns true', async () => {
      const ctx = lab.context();
      expect(await screenGoal(ctx)).toBe(true);
      expect(lab.run().screening).toEqual({ allowed: true, reason: 'A legitimate research question.' });
      expect(ctx.progressed).toEqual([
        ['screen', 0, 1, 'Checking the goal'],
        ['screen', 1, 1],
      ]);
    });

    it('asks one short call with the goal at the screen temperature', async () => {
      await screenGoal(lab.context());
      const [req] = lab.asked();
      expect(lab.asked()).toHaveLength(1);
      expect(userOf(req!)).toContain(lab.run().goal);
      expect(req!.body.temperature).toBe(0);
      expect(req!.body.max_tokens).toBeGreaterThan(0);
    });
  });

  it('returns false and keeps the reason when the goal is refused', async () => {
    lab = await openLab({ screen: () => ({ kind: 'ok', content: JSON.stringify({ allowed: false, reason: 'Weapons research.' }) }) });
    lab.put(makeRun());
    expect(await screenGoal(lab.context())).toBe(false);
    expect(lab.run().screening).toEqual({ allowed: false, reason: 'Weapons research.' });
  });

  it('repairs one answer that is not JSON', async () => {
    let n = 0;
    lab = await openLab({ screen: () => (n++ === 0 ? { kind: 'ok', content: 'Sure, this looks fine!' } : undefined) });
    lab.put(makeRun());
    expect(await screenGoal(lab.context())).toBe(true);
    expect(lab.asked()).toHaveLength(2);
  });
});
