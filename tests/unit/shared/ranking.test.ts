import { describe, expect, it } from 'vitest';
import { competing, heldForSafety, hypothesisLabels, leaderboard } from '../../../shared/ranking.js';

const h = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  elo: 1200,
  dropped: false,
  duplicate_of: null as string | null,
  reviews: [] as Array<{ safety: { flag: boolean } }>,
  ...over,
});
const flagged = [{ safety: { flag: true } }];

describe('who competes (finding 5)', () => {
  it('holds back a hypothesis a review flagged for safety until the scientist clears it, and one the screen refused for good', () => {
    expect(heldForSafety(h('a', { reviews: flagged }))).toBe(true);
    expect(heldForSafety(h('a', { reviews: flagged, safety_cleared: true }))).toBe(false);
    expect(heldForSafety(h('a', { refused: 'declined', safety_cleared: true }))).toBe(true);
    expect(heldForSafety(h('a', { reviews: [{ safety: { flag: false } }] }))).toBe(false);
    const hs = [
      h('ok'),
      h('flag', { reviews: flagged, elo: 1500 }),
      h('cleared', { reviews: flagged, safety_cleared: true, elo: 1300 }),
      h('copy', { duplicate_of: 'ok' }),
    ];
    expect(competing(hs).map((x) => x.id)).toEqual(['ok', 'cleared']);
    expect(leaderboard(hs)).toEqual(['cleared', 'ok']);
  });

  it('names hypotheses H1, H2, … in the order they were made', () => {
    expect([...hypothesisLabels([{ id: 'x' }, { id: 'y' }])]).toEqual([
      ['x', 'H1'],
      ['y', 'H2'],
    ]);
  });
});
