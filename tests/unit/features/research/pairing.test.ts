import { describe, expect, it } from 'vitest';
import { planCycles, researchSettingsSchema } from '../../../../server/features/research/call-plan.js';
import { pairMatches, pickDebates, plannedMatches, topK, type Match } from '../../../../server/features/research/pairing.js';
import { prng } from '../../../helpers/prng.js';

/** A symmetric similarity over ids, drawn from a seed; coarse values so ties happen too. */
function randomSimilarity(ids: string[], seed: number): (a: string, b: string) => number {
  const rand = prng(seed);
  const table = new Map<string, number>();
  ids.forEach((a, i) => ids.slice(i + 1).forEach((b) => table.set([a, b].sort().join('|'), Math.round(rand() * 5) / 5)));
  return (a, b) => table.get([a, b].sort().join('|')) ?? 0;
}

/** A pool of `older` earlier hypotheses followed by `entrants` new ones. */
function tournament(older: number, entrants: number) {
  const old = Array.from({ length: older }, (_, i) => `old${i}`);
  const fresh = Array.from({ length: entrants }, (_, i) => `new${i}`);
  return { pool: [...old, ...fresh], entrants: fresh };
}

function expectValid(matches: Match[], entrants: string[]): void {
  const keys = matches.map((m) => [m.a, m.b].sort().join('|'));
  expect(new Set(keys).size).toBe(matches.length);
  for (const m of matches) {
    expect(m.a).not.toBe(m.b);
    expect(entrants).toContain(m.a); // the entrant goes first
    if (entrants.includes(m.b)) expect(entrants.indexOf(m.a)).toBeLessThan(entrants.indexOf(m.b));
  }
}

describe('pairMatches', () => {
  it('makes exactly the call plan’s number of matches, all distinct, each with an entrant first', () => {
    let seed = 1;
    for (let entrants = 1; entrants <= 6; entrants++) {
      for (let older = 0; older <= 8; older++) {
        for (let perEntrant = 1; perEntrant <= 4; perEntrant++) {
          const t = tournament(older, entrants);
          const matches = pairMatches({ ...t, matchesPerEntrant: perEntrant, similarity: randomSimilarity(t.pool, seed++) });
          // The formula of call-plan.ts, written out: pairs involving an entrant = E * older + E(E-1)/2.
          const expected = Math.min(entrants * perEntrant, entrants * older + (entrants * (entrants - 1)) / 2);
          expect(matches).toHaveLength(expected);
          expect(plannedMatches(t.pool.length, entrants, perEntrant)).toBe(expected);
          expectValid(matches, t.entrants);
        }
      }
    }
  });

  it('agrees with planCycles, match and debate counts, cycle after cycle', () => {
    for (const hypotheses of [1, 2, 3, 5]) {
      for (const top_k of [0, 1, 2, 5]) {
        for (const matches_per_entrant of [1, 2, 4, 6]) {
          const s = researchSettingsSchema.parse({ hypotheses, top_k, matches_per_entrant, debate_pairs: 3 });
          for (const plan of planCycles(s, 0, 4, 3)) {
            const t = tournament(plan.pool - plan.entrants, plan.entrants);
            const similarity = randomSimilarity(t.pool, plan.pool * 7 + plan.entrants);
            const matches = pairMatches({ ...t, matchesPerEntrant: matches_per_entrant, similarity });
            expect(matches).toHaveLength(plan.matches);
            expect(pickDebates(matches, () => 1200, s.debate_pairs)).toHaveLength(plan.debates);
            expectValid(matches, t.entrants);
          }
        }
      }
    }
  });

  it('meets the most similar opponent first, ties by pool order', () => {
    const similarity = (a: string, b: string) => (({ 'e|o2': 0.9, 'e|o3': 0.4 }) as Record<string, number>)[[a, b].sort().join('|')] ?? 0.1;
    const opts = { pool: ['o1', 'o2', 'o3', 'o4', 'e'], entrants: ['e'], similarity };
    expect(pairMatches({ ...opts, matchesPerEntrant: 1 })).toEqual([{ a: 'e', b: 'o2' }]);
    // o1 and o4 tie at 0.1: the earlier in the pool wins.
    expect(pairMatches({ ...opts, matchesPerEntrant: 3 })).toEqual([
      { a: 'e', b: 'o2' },
      { a: 'e', b: 'o3' },
      { a: 'e', b: 'o1' },
    ]);
  });

  it('has a child meet its parent first, however far apart they are, keeping the planned count', () => {
    const similarity = (a: string, b: string) => (({ 'e|o2': 0.9, 'e|o3': 0.4 }) as Record<string, number>)[[a, b].sort().join('|')] ?? 0.1;
    const opts = { pool: ['o1', 'o2', 'o3', 'o4', 'e'], entrants: ['e'], similarity, mustMeet: (id: string) => (id === 'e' ? 'o4' : undefined) };
    expect(pairMatches({ ...opts, matchesPerEntrant: 1 })).toEqual([{ a: 'e', b: 'o4' }]);
    expect(pairMatches({ ...opts, matchesPerEntrant: 2 })).toEqual([
      { a: 'e', b: 'o4' },
      { a: 'e', b: 'o2' },
    ]);
    // A parent outside the pool (dropped, or a near-copy) changes nothing.
    expect(pairMatches({ ...opts, mustMeet: () => 'gone', matchesPerEntrant: 1 })).toEqual([{ a: 'e', b: 'o2' }]);
  });

  it('lets each entrant pick in turn, skipping pairs already made, and puts the earlier entrant first', () => {
    const close = new Set(['x|y', 'o|y']);
    const similarity = (a: string, b: string) => (close.has([a, b].sort().join('|')) ? 1 : 0);
    // y comes before x in the pool, but x is the earlier entrant.
    const matches = pairMatches({ pool: ['o', 'y', 'x'], entrants: ['x', 'y'], matchesPerEntrant: 1, similarity });
    expect(matches).toEqual([
      { a: 'x', b: 'y' },
      { a: 'y', b: 'o' },
    ]);
  });

  it('fills up to the plan when the greedy pass falls short', () => {
    // Three entrants, one match each: the plan wants 3. x and y both pick z, then z has no open pair;
    // the fill adds the one unused pair, x against y.
    const close: Record<string, number> = { 'x|z': 1, 'y|z': 0.9, 'x|y': 0 };
    const similarity = (a: string, b: string) => close[[a, b].sort().join('|')] ?? 0;
    const matches = pairMatches({ pool: ['x', 'y', 'z'], entrants: ['x', 'y', 'z'], matchesPerEntrant: 1, similarity });
    expect(matches).toEqual([
      { a: 'x', b: 'z' },
      { a: 'y', b: 'z' },
      { a: 'x', b: 'y' },
    ]);
  });

  it('fills with the most similar unused pair first, not the first in pool order', () => {
    // Four entrants, one match each: the plan wants 4. a, b and c all pick d, d has none left;
    // of the unused pairs a-b, a-c and b-c, the closest is b-c.
    const close: Record<string, number> = { 'a|d': 1, 'b|d': 1, 'c|d': 1, 'b|c': 0.5, 'a|b': 0.1, 'a|c': 0.1 };
    const similarity = (x: string, y: string) => close[[x, y].sort().join('|')] ?? 0;
    const t = { pool: ['a', 'b', 'c', 'd'], entrants: ['a', 'b', 'c', 'd'] };
    expect(pairMatches({ ...t, matchesPerEntrant: 1, similarity })).toEqual([
      { a: 'a', b: 'd' },
      { a: 'b', b: 'd' },
      { a: 'c', b: 'd' },
      { a: 'b', b: 'c' },
    ]);
  });

  it('is deterministic and ranks a NaN similarity last', () => {
    const t = tournament(4, 2);
    const similarity = (a: string, b: string) => (b === 'old0' || a === 'old0' ? Number.NaN : 0.5);
    const once = pairMatches({ ...t, matchesPerEntrant: 2, similarity });
    expect(pairMatches({ ...t, matchesPerEntrant: 2, similarity })).toEqual(once);
    expect(once.some((m) => m.b === 'old0')).toBe(false);
  });

  it('makes no matches without entrants, and rejects entrants outside the pool or duplicate ids', () => {
    expect(pairMatches({ pool: ['a', 'b'], entrants: [], matchesPerEntrant: 2, similarity: () => 1 })).toEqual([]);
    expect(() => pairMatches({ pool: ['a'], entrants: ['b'], matchesPerEntrant: 1, similarity: () => 1 })).toThrow(RangeError);
    expect(() => pairMatches({ pool: ['a', 'a', 'b'], entrants: ['b'], matchesPerEntrant: 1, similarity: () => 1 })).toThrow(RangeError);
  });
});

describe('pickDebates', () => {
  const ratings: Record<string, number> = { a: 1300, b: 1250, c: 1200, d: 1150 };
  const rating = (id: string) => ratings[id] ?? 0;
  const matches = [
    { a: 'c', b: 'd' },
    { a: 'a', b: 'd' },
    { a: 'b', b: 'c' },
    { a: 'a', b: 'b' },
  ];

  it('picks the matches with the highest combined rating, ties by lower index', () => {
    expect(pickDebates(matches, rating, 1)).toEqual([3]);
    expect(pickDebates(matches, rating, 3)).toEqual([3, 1, 2]); // 1 and 2 both sum to 2450
  });

  it('copes with n of 0 or more than the matches', () => {
    expect(pickDebates(matches, rating, 0)).toEqual([]);
    expect(pickDebates(matches, rating, 10)).toEqual([3, 1, 2, 0]);
    expect(pickDebates([], rating, 2)).toEqual([]);
  });
});

describe('topK', () => {
  it('returns the k best by rating, ties in input order', () => {
    const ratings: Record<string, number> = { p: 1210, q: 1250, r: 1210, s: 1190 };
    const rating = (id: string) => ratings[id] ?? 0;
    expect(topK(['p', 'q', 'r', 's'], rating, 2)).toEqual(['q', 'p']);
    expect(topK(['s', 'r', 'q', 'p'], rating, 3)).toEqual(['q', 'r', 'p']);
    expect(topK(['p', 'q'], rating, 5)).toEqual(['q', 'p']);
    expect(topK(['p', 'q'], rating, 0)).toEqual([]);
  });
});
