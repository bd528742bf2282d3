import { describe, expect, it } from 'vitest';
import { LookupBudget } from '../../../../server/features/research/lookup-budget.js';

describe('LookupBudget', () => {
  it('holds requests before they are sent, so parallel checks never pass the bound, and counts only what was sent', () => {
    let used = 0;
    const budget = new LookupBudget(
      5,
      () => used,
      (made) => void (used += made),
    );
    expect(budget.reserve(3)).toBe(true);
    expect(budget.reserve(3)).toBe(false); // 3 held + 3 > 5
    expect(budget.reserve(2)).toBe(true);
    expect(budget.left).toBe(0);
    budget.settle(3, 1); // two answers came from the cache
    expect(used).toBe(1);
    expect(budget.left).toBe(2);
    budget.settle(2, 2);
    expect(used).toBe(3);
    expect(budget.reserve(3)).toBe(false);
    expect(budget.reserve(2)).toBe(true);
  });

  it('goes on from what a resumed cycle already made', () => {
    const budget = new LookupBudget(
      10,
      () => 9,
      () => {},
    );
    expect(budget.reserve(2)).toBe(false);
    expect(budget.reserve(1)).toBe(true);
  });
});
