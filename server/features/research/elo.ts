/**
 * Elo ratings of the research tournament: every hypothesis starts at ELO_START and each match
 * moves points from the loser to the winner. Points only move, so the pool's total never drifts
 * and ratings stay comparable across cycles. Pure.
 */

export const ELO_START = 1200;

/** Probability that a player rated `ra` beats one rated `rb`. */
export function expectedScore(ra: number, rb: number): number {
  return 1 / (1 + 10 ** ((rb - ra) / 400));
}

/**
 * Ratings after one match, and the points moved to the winner. Ratings are kept on a 0.01 grid
 * (what the page shows); the loser gives up exactly what the winner gains.
 */
export function eloUpdate(ra: number, rb: number, winner: 'a' | 'b', k: number): { a: number; b: number; delta: number } {
  if (![ra, rb, k].every(Number.isFinite) || k < 0) throw new RangeError(`eloUpdate needs finite ratings and k >= 0 (got ${ra}, ${rb}, k=${k})`);
  const [rw, rl] = winner === 'a' ? [ra, rb] : [rb, ra];
  const delta = round2(k * (1 - expectedScore(rw, rl)));
  const won = round2(rw + delta);
  const lost = keepSum(rw + rl, won, round2(rl - delta));
  return winner === 'a' ? { a: won, b: lost, delta } : { a: lost, b: won, delta };
}

/** Ratings this module makes are on the grid, so rounding keeps the sum; an off-grid input keeps the sum, not the grid. */
function keepSum(total: number, won: number, lost: number): number {
  return Math.abs(won + lost - total) <= 1e-9 ? lost : total - won;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
