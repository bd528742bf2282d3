/** How sure an Elo rating is after n matches (shared/elo.js): the leaderboard's ±. */
import { describe, expect, it } from 'vitest';
import { eloUncertainty } from '../../../shared/elo.js';

describe('the uncertainty of a rating', () => {
  it('is the standard error of a rating from n even games, 400 / (ln 10 · 0.5 · √n) ≈ 347 / √n, in whole points', () => {
    for (const n of [1, 2, 3, 8, 50, 1000]) {
      expect(eloUncertainty(n)).toBe(Math.round(347 / Math.sqrt(n)));
      expect(Math.abs(eloUncertainty(n)! - 400 / (Math.LN10 * 0.5 * Math.sqrt(n)))).toBeLessThan(1);
    }
    expect(eloUncertainty(1)).toBe(347);
    expect(eloUncertainty(2)).toBe(245);
    expect(eloUncertainty(4)).toBe(174);
    expect(eloUncertainty(8)).toBe(123);
  });

  it('narrows as more matches are played', () => {
    const us = [1, 2, 3, 5, 8, 13].map((n) => eloUncertainty(n)!);
    expect(us).toEqual([...us].sort((a, b) => b - a));
    expect(new Set(us).size).toBe(us.length);
  });

  it('is null (unrated) before the first match, and for nonsense', () => {
    expect(eloUncertainty(0)).toBeNull();
    expect(eloUncertainty(-1)).toBeNull();
    expect(eloUncertainty(Number.NaN)).toBeNull();
    expect(eloUncertainty(0.5)).toBeNull();
  });
});
