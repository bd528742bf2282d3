// @ts-check
/**
 * The research leaderboard's order, shared by the server (steps and the run view) and the page
 * (which reorders it as match results arrive live, served as /shared/ranking.js). Pure.
 */

/**
 * Best first; ties keep the older hypothesis first.
 * @template {{ elo: number }} H
 * @param {readonly H[]} hs
 * @returns {H[]}
 */
export function byRating(hs) {
  return [...hs].sort((a, b) => b.elo - a.elo);
}

/**
 * Hypotheses that can still meet others: not dropped and not flagged as a near-copy.
 * @template {{ dropped: boolean, duplicate_of: string | null }} H
 * @param {readonly H[]} hs
 * @returns {H[]}
 */
export function competing(hs) {
  return hs.filter((h) => !h.dropped && h.duplicate_of === null);
}

/**
 * The leaderboard: the ids of the competing hypotheses, best first.
 * @param {ReadonlyArray<{ id: string, elo: number, dropped: boolean, duplicate_of: string | null }>} hs
 * @returns {string[]}
 */
export function leaderboard(hs) {
  return byRating(competing(hs)).map((h) => h.id);
}

/**
 * Short names (H1, H2, …) in the order hypotheses were made: the page's cards, matches, chart and
 * graph, and the exports, name hypotheses the same way.
 * @param {ReadonlyArray<{ id: string }>} hs
 * @returns {Map<string, string>}
 */
export function hypothesisLabels(hs) {
  return new Map(hs.map((h, i) => [h.id, `H${i + 1}`]));
}
