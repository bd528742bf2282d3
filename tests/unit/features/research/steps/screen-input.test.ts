import { afterEach, describe, expect, it } from 'vitest';
import { brief } from '../../../../../server/features/research/steps/brief.js';
import { hasInput, notesFor, screenInput } from '../../../../../server/features/research/steps/screen-input.js';
import { goalBlock } from '../../../../../server/features/research/prompts/parts.js';
import { hypothesis, type Lab, makeRun, openLab, userOf, WORDS } from '../harness.js';

let lab: Lab;
afterEach(() => lab?.close());

const own = () => hypothesis('h_own', WORDS[2]!, { origin: 'scientist', cycle: 1, title: 'OWN-IDEA' });
const notes = [
  { cycle: 1, text: 'NOTE-FOR-CYCLE-2', at: 1 },
  { cycle: 0, text: 'OLD-NOTE', at: 0 },
];

describe('screenInput', () => {
  it('screens the scientist’s notes and own hypotheses for the cycle in one call, and marks them when refused', async () => {
    lab = await openLab({ screen: () => ({ kind: 'ok', content: JSON.stringify({ allowed: false, reason: 'Seeks harm.' }) }) });
    lab.put(makeRun({ notes, hypotheses: [hypothesis('h_gen', WORDS[0]!), own()] }));
    expect(hasInput(lab.run(), 1)).toBe(true);
    const ctx = lab.context(1);
    await screenInput(ctx);
    expect(lab.asked()).toHaveLength(1);
    const asked = userOf(lab.asked()[0]!);
    expect(asked).toContain('NOTE-FOR-CYCLE-2');
    expect(asked).toContain('OWN-IDEA');
    expect(asked).not.toContain('OLD-NOTE');
    const run = lab.run();
    expect(run.notes.map((n) => n.refused)).toEqual(['Seeks harm.', undefined]);
    expect(run.hypotheses.map((h) => h.refused)).toEqual([null, 'Seeks harm.']);
    expect(notesFor(run, 1)).toEqual([]);
    expect(notesFor(run, 0)).toEqual(['OLD-NOTE']);
    expect(hasInput(run, 1)).toBe(false); // nothing left to screen
    expect(ctx.emitted).toEqual([{ kind: 'input_refused', payload: { reason: 'Seeks harm.', notes: 1, hypotheses: ['h_own'] } }]);
  });

  it('leaves allowed input as it is, and asks nothing when there is none', async () => {
    lab = await openLab();
    lab.put(makeRun({ notes, hypotheses: [own()] }));
    await screenInput(lab.context(1));
    expect(lab.run().notes.every((n) => n.refused === undefined)).toBe(true);
    expect(lab.run().hypotheses[0]!.refused).toBeNull();
    await screenInput(lab.context(2));
    expect(lab.asked()).toHaveLength(1);
  });
});

describe('the brief every prompt starts from', () => {
  it('is the goal, then the research plan once there is one', () => {
    const plan = { objective: 'OBJ', preferences: ['p1'], constraints: [], attributes: ['a1', 'a2'], domain: 'biology' };
    expect(goalBlock(brief(makeRun({ goal: 'G?', plan })))).toBe(
      'Research goal:\n"""\nG?\n"""\n\nResearch plan (follow it):\nObjective: OBJ\nDomain: biology\nPreferences: p1\nA good hypothesis has: a1; a2',
    );
    expect(goalBlock(brief(makeRun({ goal: 'G?', plan: null })))).toBe('Research goal:\n"""\nG?\n"""');
  });
});
