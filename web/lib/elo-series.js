// @ts-check
/** Elo over the tournament, from the matches alone (elo_before and elo_delta): the chart's data. Pure. */

/** @typedef {import('./research-types.js').Match} Match */
/** @typedef {{ id: string, points: Array<[match: number, elo: number]> }} Series */

/**
 * Each followed hypothesis's rating before and after every match it played, with x the number of
 * matches played so far: flat while it waits, a step at each of its matches.
 * @param {Match[]} matches in the order they were played
 * @param {string[]} ids the hypotheses to follow
 * @returns {{ series: Series[], min: number, max: number, count: number }}
 */
export function eloSeries(matches, ids) {
  const points = new Map(ids.map((id) => [id, /** @type {Series['points']} */ ([])]));
  let min = Infinity;
  let max = -Infinity;
  matches.forEach((m, i) => {
    for (const side of /** @type {const} */ (['a', 'b'])) {
      const list = points.get(m[side]);
      if (!list) continue;
      const before = m.elo_before[side];
      const after = Math.round((before + (m.winner === m[side] ? m.elo_delta : -m.elo_delta)) * 100) / 100;
      list.push([i, before], [i + 1, after]);
      min = Math.min(min, before, after);
      max = Math.max(max, before, after);
    }
  });
  // Carried to the last match, so every line ends where the leaderboard stands.
  for (const list of points.values()) {
    const end = list.at(-1);
    if (end && end[0] < matches.length) list.push([matches.length, end[1]]);
  }
  const series = ids.map((id) => ({ id, points: points.get(id) ?? [] })).filter((s) => s.points.length > 0);
  return series.length ? { series, min, max, count: matches.length } : { series, min: 1200, max: 1200, count: matches.length };
}

/**
 * Round values for the Elo axis: a step of 5, 10, 25, 50, 100… that gives at most `most` ticks.
 * @param {number} min
 * @param {number} max
 * @returns {{ from: number, to: number, ticks: number[] }}
 */
export function eloTicks(min, max, most = 5) {
  const span = Math.max(max - min, 10);
  const steps = [5, 10, 25, 50, 100, 250, 500];
  const step = steps.find((s) => span / s <= most - 1) ?? 1000;
  const from = Math.floor(min / step) * step;
  const to = Math.max(Math.ceil(max / step) * step, from + step);
  const ticks = [];
  for (let v = from; v <= to; v += step) ticks.push(v);
  return { from, to, ticks };
}
