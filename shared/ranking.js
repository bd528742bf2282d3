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
 * Hypotheses that can still meet others: not dropped, not flagged as a near-copy, not held for safety.
 * @template {{ dropped: boolean, duplicate_of: string | null, reviews?: ReadonlyArray<{ safety: { flag: boolean } }>, safety_cleared?: boolean, refused?: string | null }} H
 * @param {readonly H[]} hs
 * @returns {H[]}
 */
export function competing(hs) {
  return hs.filter((h) => !h.dropped && h.duplicate_of === null && !heldForSafety(h));
}

/**
 * Kept out of tournaments, evolution and the overview for safety: a review flagged it and the
 * scientist has not cleared the flag, or the screen refused it (the scientist's own hypothesis).
 * @param {{ reviews?: ReadonlyArray<{ safety: { flag: boolean } }>, safety_cleared?: boolean, refused?: string | null }} h
 * @returns {boolean}
 */
export function heldForSafety(h) {
  return (h.refused ?? null) !== null || (!h.safety_cleared && (h.reviews ?? []).some((r) => r.safety.flag));
}

/**
 * The leaderboard: the ids of the competing hypotheses, best first.
 * @param {ReadonlyArray<{ id: string, elo: number, dropped: boolean, duplicate_of: string | null, reviews?: ReadonlyArray<{ safety: { flag: boolean } }>, safety_cleared?: boolean, refused?: string | null }>} hs
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
