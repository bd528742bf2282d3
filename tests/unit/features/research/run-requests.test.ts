import { describe, expect, it } from 'vitest';
import { planBody, settingsOf, startBody } from '../../../../server/features/research/run-requests.js';

describe('what a research plan asks for', () => {
  it('clamps hypotheses per cycle to the deployment limit and says what was asked', () => {
    const { settings, asked } = settingsOf(planBody.parse({ model: 'a/b', hypotheses: 9, cycles: 2 }), 4);
    expect(asked).toBe(9);
    expect(settings).toMatchObject({ hypotheses: 4, cycles: 2, elo_k: 32 });
    expect(settings.temperatures).toMatchObject({ screen: 0, generate: 0.9, judge: 0.1 });
  });

  it('defaults to 3 hypotheses and one cycle, and keeps advanced settings', () => {
    const { settings, asked } = settingsOf(planBody.parse({ model: 'a/b', settings: { elo_k: 16, temperatures: { generate: 1.2 } } }), 10);
    expect(asked).toBe(3);
    expect(settings).toMatchObject({ hypotheses: 3, cycles: 1, elo_k: 16 });
    expect(settings.temperatures.generate).toBe(1.2);
  });

  it('refuses a goal with HTML tags, a too short goal, and unknown fields', () => {
    expect(startBody.safeParse({ model: 'a/b', goal: 'Find <b>bold</b> mechanisms of ageing' }).success).toBe(false);
    expect(startBody.safeParse({ model: 'a/b', goal: 'short' }).success).toBe(false);
    expect(planBody.safeParse({ model: 'a/b', surprise: 1 }).success).toBe(false);
    expect(startBody.safeParse({ model: 'a/b', goal: 'Why do some bacteria survive antibiotics for days?' }).success).toBe(true);
  });
});
