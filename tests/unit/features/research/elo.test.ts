import { describe, expect, it } from 'vitest';
import { ELO_START, eloUpdate, expectedScore } from '../../../../server/features/research/elo.js';
import { prng } from '../../../helpers/prng.js';

describe('elo', () => {
  it('expects an even match between equal ratings, and favours the higher rating', () => {
    expect(expectedScore(ELO_START, ELO_START)).toBe(0.5);
    expect(expectedScore(1400, 1200)).toBeCloseTo(1 / (1 + 10 ** -0.5), 12);
    expect(expectedScore(1400, 1200) + expectedScore(1200, 1400)).toBeCloseTo(1, 12);
  });

  it('moves K/2 between equal ratings, from the loser to the winner', () => {
    expect(eloUpdate(1200, 1200, 'a', 32)).toEqual({ a: 1216, b: 1184, delta: 16 });
    expect(eloUpdate(1200, 1200, 'b', 32)).toEqual({ a: 1184, b: 1216, delta: 16 });
  });

  it('moves more points for an upset than for an expected win', () => {
    const expected = eloUpdate(1400, 1200, 'a', 32);
    const upset = eloUpdate(1400, 1200, 'b', 32);
    expect(upset.delta).toBeGreaterThan(expected.delta);
    expect(expected.delta).toBe(7.69);
    expect(upset.delta).toBe(24.31);
    expect(upset).toMatchObject({ a: 1375.69, b: 1224.31 });
  });

  it('rounds to cents and keeps the pair sum even for ratings off the cent grid', () => {
    const r = eloUpdate(1200.123, 1187.456, 'a', 24);
    expect(Math.round(r.a * 100) / 100).toBe(r.a);
    expect(Math.round(r.delta * 100) / 100).toBe(r.delta);
    expect(Math.abs(r.a + r.b - (1200.123 + 1187.456))).toBeLessThanOrEqual(1e-9);
  });

  it('keeps the sum of all ratings constant over 1,000 random matches', () => {
    const rand = prng(42);
    const ratings = Array.from({ length: 12 }, () => ELO_START);
    const total = ratings.length * ELO_START;
    for (let m = 0; m < 1000; m++) {
      const i = Math.floor(rand() * ratings.length);
      const j = (i + 1 + Math.floor(rand() * (ratings.length - 1))) % ratings.length;
      const r = eloUpdate(ratings[i]!, ratings[j]!, rand() < 0.5 ? 'a' : 'b', 16 + Math.floor(rand() * 17));
      expect(Math.abs(r.a + r.b - (ratings[i]! + ratings[j]!))).toBeLessThanOrEqual(1e-9);
      ratings[i] = r.a;
      ratings[j] = r.b;
    }
    expect(Math.abs(ratings.reduce((s, x) => s + x, 0) - total)).toBeLessThanOrEqual(1e-9);
    expect(new Set(ratings).size).toBeGreaterThan(1); // the matches did move points
  });

  it('rejects a negative K or a rating that is not a number', () => {
    expect(() => eloUpdate(1200, 1200, 'a', -1)).toThrow(RangeError);
    expect(() => eloUpdate(Number.NaN, 1200, 'a', 32)).toThrow(RangeError);
  });
});
