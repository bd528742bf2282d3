/** How a run's ratings and judgements read (web/research/rating-format.js): a rating's ±, the judge's position bias, why a hypothesis is held. */
import { describe, expect, it } from 'vitest';
import type { Hypothesis, Review } from '../../../../shared/research-types.js';
import { matchesText, positionBiasText, safetyNotes, uncertaintyText } from '../../../../web/research/rating-format.js';

describe('how sure a rating is, and the judge’s position bias', () => {
  it('give a rating its ± from the matches played, "unrated" before the first', () => {
    expect(uncertaintyText(0)).toBe('unrated');
    expect(uncertaintyText(1)).toBe('±347');
    expect(uncertaintyText(8)).toBe('±123');
    expect(matchesText({ wins: 1, losses: 1 })).toBe('2 matches');
    expect(matchesText({ wins: 0, losses: 1 })).toBe('1 match');
    expect(matchesText({ wins: 0, losses: 0 })).toBe('0 matches');
  });

  it('say how often the judge chose the first-shown hypothesis, once there are matches', () => {
    expect(positionBiasText({ matches: 0, first_won: 0, rate: null })).toBeNull();
    expect(positionBiasText({ matches: 12, first_won: 7, rate: 0.583 })).toBe(
      'The judge chose the first-shown hypothesis in 7 of 12 matches (58%); 50% is no position bias.',
    );
    expect(positionBiasText({ matches: 1, first_won: 0, rate: 0 })).toBe(
      'The judge chose the first-shown hypothesis in 0 of 1 match (0%); 50% is no position bias.',
    );
  });

  it('give the notes of the reviews that flagged a hypothesis for safety, each once', () => {
    const review = (flag: boolean, note: string) => ({ safety: { flag, note } }) as Review;
    const h = (reviews: Review[]) => ({ reviews }) as Hypothesis;
    expect(safetyNotes(h([review(false, 'fine'), review(true, 'Needs ethics approval.'), review(true, 'Needs ethics approval.')]))).toBe(
      'Needs ethics approval.',
    );
    expect(safetyNotes(h([review(true, 'Dual use.'), review(true, ' ')]))).toBe('Dual use.; flagged without a note');
  });
});
