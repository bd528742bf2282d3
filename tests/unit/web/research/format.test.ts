/** The steps of a cycle as the progress card lists them (web/research/format.js). */
import { describe, expect, it } from 'vitest';
import type { Cycle } from '../../../../shared/research-types.js';
import { cycleSteps } from '../../../../web/research/format.js';

const cycle = (over: Partial<Cycle> = {}): Cycle => ({
  index: 1,
  state: 'done',
  steps_done: [],
  step: null,
  plan: { calls: 1, calls_max: 2, max_usd: 0, lookups_max: 0 },
  last: false,
  calls: 0,
  usd: 0,
  lookups: 0,
  error: null,
  ...over,
});

describe('the steps of a cycle', () => {
  it('are the engine’s, the screen first in cycle 1 and the overview last in the request’s last cycle', () => {
    expect(cycleSteps(cycle())).toEqual(['generate', 'review', 'tournament', 'deep_review', 'evolve', 'proximity', 'meta_review']);
    expect(cycleSteps(cycle({ index: 0, last: true }))).toEqual([
      'screen',
      'generate',
      'review',
      'tournament',
      'deep_review',
      'evolve',
      'proximity',
      'meta_review',
      'overview',
    ]);
  });

  it('search the literature before generating when the run has literature, or when the cycle did', () => {
    expect(cycleSteps(cycle({ index: 0 }), true).slice(0, 3)).toEqual(['screen', 'literature', 'generate']);
    expect(cycleSteps(cycle({ steps_done: ['literature'] }), false)[0]).toBe('literature');
    expect(cycleSteps(cycle(), false)).not.toContain('literature');
  });
});
