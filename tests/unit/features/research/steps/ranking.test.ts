import { describe, expect, it } from 'vitest';
import { byRating, competing } from '../../../../../server/features/research/steps/ranking.js';
import { hypothesis, WORDS } from '../harness.js';

describe('byRating', () => {
  it('orders best first, ties keep the older first, and never reorders its input', () => {
    const hs = [
      hypothesis('h_1', WORDS[0]!, { elo: 1200 }),
      hypothesis('h_2', WORDS[1]!, { elo: 1300 }),
      hypothesis('h_3', WORDS[2]!, { elo: 1200 }),
      hypothesis('h_4', WORDS[3]!, { elo: 1100 }),
    ];
    expect(byRating(hs).map((h) => h.id)).toEqual(['h_2', 'h_1', 'h_3', 'h_4']);
    expect(hs.map((h) => h.id)).toEqual(['h_1', 'h_2', 'h_3', 'h_4']);
  });
});

describe('competing', () => {
  it('keeps hypotheses neither dropped nor flagged as a near-copy, in order', () => {
    const hs = [
      hypothesis('h_1', WORDS[0]!),
      hypothesis('h_2', WORDS[1]!, { dropped: true }),
      hypothesis('h_3', WORDS[2]!, { duplicate_of: 'h_1' }),
      hypothesis('h_4', WORDS[3]!, { pinned: true }),
    ];
    expect(competing(hs).map((h) => h.id)).toEqual(['h_1', 'h_4']);
  });
});
