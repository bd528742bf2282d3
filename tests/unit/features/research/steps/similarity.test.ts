import { describe, expect, it } from 'vitest';
import { similarityOf, textOf } from '../../../../../server/features/research/steps/similarity.js';
import { hypothesis, WORDS } from '../harness.js';

describe('textOf', () => {
  it('joins title, statement and rationale (not the test)', () => {
    expect(textOf({ title: 'T', statement: 'S.', rationale: 'R.' })).toBe('T. S. R.');
    const h = hypothesis('h', WORDS[0]!);
    expect(textOf(h)).not.toContain(h.test);
  });
});

describe('similarityOf', () => {
  const hs = [hypothesis('h_a', WORDS[0]!), hypothesis('h_b', WORDS[1]!), hypothesis('h_a2', WORDS[0]!)];
  const sim = similarityOf(hs);

  it('is 1 for a hypothesis with itself and symmetric', () => {
    expect(sim('h_a', 'h_a')).toBe(1);
    expect(sim('h_a', 'h_b')).toBe(sim('h_b', 'h_a'));
  });

  it('rates the same words above different ones', () => {
    expect(sim('h_a', 'h_a2')).toBeGreaterThan(0.75);
    expect(sim('h_a', 'h_b')).toBeLessThan(sim('h_a', 'h_a2'));
  });

  it('is 0 for an id it does not know', () => {
    expect(sim('h_a', 'h_unknown')).toBe(0);
    expect(sim('h_unknown', 'h_a')).toBe(0);
  });
});
