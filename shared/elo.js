// @ts-check
/**
 * Elo ratings of the research tournament: every hypothesis starts at ELO_START and each match
 * moves points from the loser to the winner. Points only move, so the pool's total never drifts
 * and ratings stay comparable across cycles. The server rates the matches; the page replays them
 * for its chart with this same module (served as /shared/elo.js). Pure.
 */

export const ELO_START = 1200;

/**
 * Probability that a player rated `ra` beats one rated `rb`.
 * @param {number} ra
 * @param {number} rb
 * @returns {number}
 */
export function expectedScore(ra, rb) {
  return 1 / (1 + 10 ** ((rb - ra) / 400));
}

/**
 * A rating after one match that moved `delta` points: up for the winner, down for the loser,
 * on the 0.01 grid the ratings are kept on (what the page shows).
 * @param {number} before
 * @param {boolean} won
 * @param {number} delta
 * @returns {number}
 */
export function ratingAfter(before, won, delta) {
  return round2(won ? before + delta : before - delta);
}

/**
 * Ratings after one match, and the points moved to the winner. The loser gives up exactly what
 * the winner gains.
 * @param {number} ra
 * @param {number} rb
 * @param {'a' | 'b'} winner
 * @param {number} k
 * @returns {{ a: number, b: number, delta: number }}
 */
export function eloUpdate(ra, rb, winner, k) {
  if (![ra, rb, k].every(Number.isFinite) || k < 0) throw new RangeError(`eloUpdate needs finite ratings and k >= 0 (got ${ra}, ${rb}, k=${k})`);
  const [rw, rl] = winner === 'a' ? [ra, rb] : [rb, ra];
  const delta = round2(k * (1 - expectedScore(rw, rl)));
  const won = ratingAfter(rw, true, delta);
  const lost = keepSum(rw + rl, won, ratingAfter(rl, false, delta));
  return winner === 'a' ? { a: won, b: lost, delta } : { a: lost, b: won, delta };
}

/**
 * How far a rating after `matches` games may be from the hypothesis's true strength: the standard
 * error of a rating from n even games, 400 / (ln 10 · 0.5 · √n) ≈ 347 / √n, in whole points
 * (shown as ±). Null before the first match: the rating is only the starting value (unrated).
 * @param {number} matches wins + losses
 * @returns {number | null}
 */
export function eloUncertainty(matches) {
  if (!Number.isFinite(matches) || matches < 1) return null;
  return Math.round(347 / Math.sqrt(matches));
}

/**
 * A played match, as the run records it: who met, who won, the ratings before and the points moved.
 * @typedef {{ a: string, b: string, winner: string, elo_before: { a: number, b: number }, elo_delta: number }} RatedMatch
 */
/** @typedef {{ id: string, points: Array<[match: number, elo: number]> }} EloSeries */

/**
 * Each followed hypothesis's rating before and after every match it played, replayed from the
 * matches alone, with x the number of matches played so far: flat while it waits, a step at each
 * of its matches, carried to the last match so every line ends where the leaderboard stands.
 * @param {readonly RatedMatch[]} matches in the order they were played
 * @param {readonly string[]} ids the hypotheses to follow
 * @returns {{ series: EloSeries[], min: number, max: number, count: number }}
 */
export function eloSeries(matches, ids) {
  const points = new Map(ids.map((id) => [id, /** @type {EloSeries['points']} */ ([])]));
  let min = Infinity;
  let max = -Infinity;
  matches.forEach((m, i) => {
    for (const side of /** @type {const} */ (['a', 'b'])) {
      const list = points.get(m[side]);
      if (!list) continue;
      const before = m.elo_before[side];
      const after = ratingAfter(before, m.winner === m[side], m.elo_delta);
      list.push([i, before], [i + 1, after]);
      min = Math.min(min, before, after);
      max = Math.max(max, before, after);
    }
  });
  for (const list of points.values()) {
    const end = list.at(-1);
    if (end && end[0] < matches.length) list.push([matches.length, end[1]]);
  }
  const series = ids.map((id) => ({ id, points: points.get(id) ?? [] })).filter((s) => s.points.length > 0);
  return series.length ? { series, min, max, count: matches.length } : { series, min: ELO_START, max: ELO_START, count: matches.length };
}

/**
 * Ratings this module makes are on the grid, so rounding keeps the sum; an off-grid input keeps the sum, not the grid.
 * @param {number} total @param {number} won @param {number} lost
 */
function keepSum(total, won, lost) {
  return Math.abs(won + lost - total) <= 1e-9 ? lost : total - won;
}

/** @param {number} x */
function round2(x) {
  return Math.round(x * 100) / 100;
}
