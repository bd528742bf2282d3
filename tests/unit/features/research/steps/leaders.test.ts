import { describe, expect, it } from 'vitest';
import { leadersOf } from '../../../../../server/features/research/steps/leaders.js';
import { hypothesis, WORDS } from '../harness.js';

describe('leadersOf', () => {
  it('takes the k best-rated competing hypotheses, best first, leaving out dropped ones, near-copies and held ones', () => {
    const flagged = {
      id: 'r',
      cycle: 0,
      by: 'model' as const,
      novelty: { score: 3, reason: '' },
      feasibility: { score: 3, reason: '' },
      testability: { score: 3, reason: '' },
      safety: { flag: true, note: 'x' },
      references: [],
      summary: '',
    };
    const hs = [
      hypothesis('h_a', WORDS[0]!, { elo: 1210 }),
      hypothesis('h_b', WORDS[1]!, { elo: 1300, dropped: true }),
      hypothesis('h_c', WORDS[2]!, { elo: 1250 }),
      hypothesis('h_d', WORDS[3]!, { elo: 1400, duplicate_of: 'h_a' }),
      hypothesis('h_e', WORDS[4]!, { elo: 1500, reviews: [flagged] }),
      hypothesis('h_f', WORDS[5]!, { elo: 1210 }),
    ];
    expect(leadersOf(hs, 2).map((h) => h.id)).toEqual(['h_c', 'h_a']);
    expect(leadersOf(hs, 0)).toEqual([]);
  });
});
