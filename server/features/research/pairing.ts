/**
 * Who meets whom in a cycle's tournament, which matches become debates, and who is on top.
 * The number of matches is the call plan's (call-plan.ts), exactly: the engine never makes more
 * or fewer match calls than the plan it showed. Within that count, close hypotheses meet, since
 * a verdict between near neighbours says more than one between unrelated ideas. Pure.
 */

export interface Match {
  a: string;
  b: string;
}

export interface PairingOptions {
  /** Every hypothesis in the tournament, entrants included, in a stable order (it breaks ties). */
  pool: string[];
  /** Hypotheses new this cycle; each must be in the pool. */
  entrants: string[];
  matchesPerEntrant: number;
  /** Higher is closer; expected symmetric. Called with the pair as it will be returned. */
  similarity: (a: string, b: string) => number;
  /** An opponent an entrant must meet first when it is in the pool (a child meets its parent). */
  mustMeet?: (entrant: string) => string | undefined;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/**
 * Matches of a cycle, as call-plan.ts counts them: matchesPerEntrant per entrant, capped by the
 * distinct pairs that involve an entrant (all pairs of the pool minus those among older hypotheses).
 */
export function plannedMatches(pool: number, entrants: number, matchesPerEntrant: number): number {
  return Math.min(entrants * matchesPerEntrant, pairs(pool) - pairs(pool - entrants));
}

/**
 * Exactly plannedMatches(...) distinct pairs, each involving an entrant, entrant first. Each entrant
 * in turn picks up to matchesPerEntrant of its closest opponents not yet paired with it (the one it
 * must meet first, when there is one, ahead of them); if that
 * falls short, the closest unused pairs involving an entrant fill the rest. Ties go by pool order.
 */
export function pairMatches(opts: PairingOptions): Match[] {
  const { pool, entrants, matchesPerEntrant } = opts;
  const place = positions(pool, 'pool');
  const rank = positions(entrants, 'entrants');
  const outsider = entrants.find((e) => !place.has(e));
  if (outsider !== undefined) throw new RangeError(`entrant "${outsider}" is not in the pool`);
  if (!Number.isInteger(matchesPerEntrant) || matchesPerEntrant < 0)
    throw new RangeError(`matchesPerEntrant must be a whole number >= 0 (got ${matchesPerEntrant})`);

  const target = plannedMatches(pool.length, entrants.length, matchesPerEntrant);
  const orient = (x: string, y: string): Match => (entrantFirst(x, y, rank) ? { a: x, b: y } : { a: y, b: x });
  const closeness = (m: Match) => opts.similarity(m.a, m.b);
  const used = new Set<string>();
  const key = (m: Match) => pairKey(place.get(m.a)!, place.get(m.b)!);
  const matches: Match[] = [];
  const take = (m: Match) => {
    used.add(key(m));
    matches.push(m);
  };

  for (const e of entrants) {
    if (matches.length === target) break;
    const open = pool
      .filter((c) => c !== e)
      .map((c) => orient(e, c))
      .filter((m) => !used.has(key(m)));
    const first = opts.mustMeet?.(e);
    const ranked = rankBy(open, closeness);
    const must = ranked.filter((m) => m.a === first || m.b === first);
    const picks = [...must, ...ranked.filter((m) => !must.includes(m))].slice(0, Math.min(matchesPerEntrant, target - matches.length));
    picks.forEach(take);
  }
  if (matches.length < target) {
    const rest = rankBy(unusedEntrantPairs(pool, rank, used, orient, key), closeness);
    rest.slice(0, target - matches.length).forEach(take);
  }
  return matches;
}

/**
 * Indexes of the n matches whose hypotheses have the highest combined rating, best first, ties by
 * lower index: the strongest pairs get a debate instead of a single verdict.
 */
export function pickDebates(matches: Match[], rating: (id: string) => number, n: number): number[] {
  const indexes = matches.map((_, i) => i);
  return rankBy(indexes, (i) => rating(matches[i]!.a) + rating(matches[i]!.b)).slice(0, count(n));
}

/** The k best ids by rating, best first; ties keep input order. */
export function topK(ids: string[], rating: (id: string) => number, k: number): string[] {
  return rankBy(ids, rating).slice(0, count(k));
}

/** Pairs of the pool, in pool order, that involve an entrant and are not taken yet. */
function unusedEntrantPairs(
  pool: string[],
  rank: Map<string, number>,
  used: Set<string>,
  orient: (x: string, y: string) => Match,
  key: (m: Match) => string,
): Match[] {
  const open: Match[] = [];
  pool.forEach((x, i) => {
    for (const y of pool.slice(i + 1)) {
      const m = orient(x, y);
      if ((rank.has(x) || rank.has(y)) && !used.has(key(m))) open.push(m);
    }
  });
  return open;
}

/** Whether x goes first in a pair with y: an entrant before an older hypothesis, else the earlier entrant. */
function entrantFirst(x: string, y: string, rank: Map<string, number>): boolean {
  const rx = rank.get(x);
  const ry = rank.get(y);
  if (rx === undefined) return false;
  return ry === undefined || rx < ry;
}

/** Highest score first; the sort is stable, so ties keep input order. A NaN score ranks last. */
function rankBy<T>(items: T[], score: (item: T) => number): T[] {
  const scored = items.map((item) => ({ item, s: sortable(score(item)) }));
  scored.sort((x, y) => (x.s === y.s ? 0 : x.s > y.s ? -1 : 1));
  return scored.map((x) => x.item);
}

function sortable(score: number): number {
  return Number.isNaN(score) ? -Infinity : score;
}

/** Position of each id; duplicates would make the match count disagree with the plan. */
function positions(ids: string[], what: string): Map<string, number> {
  const at = new Map<string, number>();
  ids.forEach((id, i) => {
    if (at.has(id)) throw new RangeError(`"${id}" appears twice in ${what}`);
    at.set(id, i);
  });
  return at;
}

const pairKey = (i: number, j: number) => (i < j ? `${i}:${j}` : `${j}:${i}`);
const count = (n: number) => Math.max(0, Math.floor(n));
