/** The start form's advanced settings (web/research/run-settings-values.js): only what was changed, and in range, goes with the run. */
import { describe, expect, it } from 'vitest';
import { parseOverrides } from '../../../../web/research/run-settings-values.js';

describe('the settings a run is asked with', () => {
  it('carry the reasoning chosen, one of off, low, medium and high', () => {
    for (const level of ['off', 'low', 'medium', 'high']) expect(parseOverrides({ reasoning: level })).toEqual({ settings: { reasoning: level }, bad: [] });
    expect(parseOverrides({ reasoning: 'max' })).toEqual({ settings: {}, bad: ['reasoning'] });
  });

  it('keep whole numbers in range and temperatures, and name what is out of range', () => {
    expect(parseOverrides({ top_k: '2', 't.judge': '0.1', reasoning: 'high' })).toEqual({
      settings: { top_k: 2, reasoning: 'high', temperatures: { judge: 0.1 } },
      bad: [],
    });
    expect(parseOverrides({ top_k: '9', elo_k: '2.5', 't.meta': '3' }).bad).toEqual(['top_k', 'elo_k', 't.meta']);
    expect(parseOverrides({})).toEqual({ settings: {}, bad: [] });
  });
});
