/**
 * Step 3: entrants meet similar hypotheses in matches judged by the model; the top pairs debate.
 * Verdicts are asked in parallel, then Elo is applied in match order, so the result does not
 * depend on which answer came back first.
 */
import { advocateTurns, MAX_TOKENS } from '../call-plan.js';
import { eloUpdate } from '../elo.js';
import { pairMatches, pickDebates } from '../pairing.js';
import { advocatePrompt, verdictPrompt } from '../prompts/debate.js';
import { checkReference, namedIdentifiers } from '../cycle-literature.js';
import { judgePrompt } from '../prompts/judge.js';
import { verdictAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import { brief } from './brief.js';
import type { DebateTurn, Hypothesis, Match, RunSettings, Verdict } from '../run-types.js';
import { competing } from './ranking.js';
import { similarityOf } from './similarity.js';

export async function tournament(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  const s = run.settings;
  const pool = competing(run.hypotheses);
  const byId = new Map(run.hypotheses.map((h) => [h.id, h]));
  const saved = run.cycles[ctx.cycle]!.tournament;
  // Pairs are drawn once; a resumed cycle keeps them and asks only for the verdicts it lacks.
  const plan = saved ?? drawPairs(pool, s, strength(byId), ctx.random);
  if (!saved) ctx.update((r) => void (r.cycles[ctx.cycle]!.tournament = { pairs: plan.pairs, verdicts: plan.pairs.map(() => null) }));
  const todo = plan.pairs.map((p, i) => ({ ...p, i })).filter(({ i }) => !ctx.run().cycles[ctx.cycle]!.tournament!.verdicts[i]);
  // Debates take turns opening, counting those of earlier cycles.
  let debatesBefore = run.matches.filter((m) => m.debate).length;
  const openers = new Map(plan.pairs.flatMap((p, i) => (p.debate ? [[i, debatesBefore++ % 2 === 0 ? 'A' : 'B'] as const] : [])));
  let done = plan.pairs.length - todo.length;
  ctx.progress('tournament', done, plan.pairs.length, `${plan.pairs.length} matches`);
  await ctx.parallel(todo, async (p) => {
    const [a, b] = [byId.get(p.a)!, byId.get(p.b)!];
    const verdict = p.debate ? await debate(ctx, a, b, openers.get(p.i)!) : await judge(ctx, a, b);
    ctx.update((r) => void (r.cycles[ctx.cycle]!.tournament!.verdicts[p.i] = verdict));
    ctx.progress('tournament', ++done, plan.pairs.length);
  });
  // Elo in pairing order, so the result does not depend on which answer came back first.
  const verdicts = ctx.run().cycles[ctx.cycle]!.tournament!.verdicts;
  for (const [i, p] of plan.pairs.entries()) record(ctx, p.a, p.b, verdicts[i]!);
  ctx.update((r) => {
    for (const h of r.hypotheses) if (pool.some((x) => x.id === h.id)) h.entered = true;
  });
}

/**
 * Who is stronger, for picking the debates: Elo, then (a tie-break worth under 0.01 Elo) the mean
 * score of the latest model review, so cycle 1, where every rating is 1,200, debates the best-reviewed pair.
 */
export function strength(byId: Map<string, Hypothesis>): (id: string) => number {
  return (id) => {
    const h = byId.get(id);
    const r = h?.reviews.filter((x) => x.by === 'model').at(-1);
    const scores = r ? [r.novelty, r.feasibility, r.testability, ...(r.plausibility ? [r.plausibility] : [])].map((x) => x.score) : [];
    const review = scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : 0;
    return (h?.elo ?? 0) + review / 1000;
  };
}

function drawPairs(pool: Hypothesis[], s: RunSettings, rating: (id: string) => number, random: () => number) {
  const entrants = pool.filter((h) => !h.entered);
  const pairs = pairMatches({
    pool: pool.map((h) => h.id),
    entrants: entrants.map((h) => h.id),
    matchesPerEntrant: s.matches_per_entrant,
    similarity: similarityOf(pool),
    // A child meets its (first) parent at least once, so its rating says whether it improved on it.
    mustMeet: (id) => pool.find((h) => h.id === id)?.parents[0],
  });
  const debates = new Set(s.debate ? pickDebates(pairs, rating, s.debate_pairs) : []);
  // The judge meets the two in a random order (the newcomer is not always A); the order is kept, so its position bias can be measured.
  return { pairs: pairs.map((p, i) => ({ ...(random() < 0.5 ? { a: p.a, b: p.b } : { a: p.b, b: p.a }), debate: debates.has(i) })) };
}

async function judge(ctx: StepContext, a: Hypothesis, b: Hypothesis): Promise<Verdict> {
  const run = ctx.run();
  const v = await ctx.ask(judgePrompt(brief(run), a, b), verdictAnswer, { temperature: run.settings.temperatures.judge, maxTokens: MAX_TOKENS.match });
  return { ...v, debate: null };
}

/** Advocates alternate, each side speaking as often as the other, the opener alternating across debates; the last call is the judge's verdict. */
async function debate(ctx: StepContext, a: Hypothesis, b: Hypothesis, opener: 'A' | 'B'): Promise<Verdict> {
  const run = ctx.run();
  const turns: DebateTurn[] = [];
  for (let t = 0; t < advocateTurns(run.settings.debate_turns); t++) {
    const side = (t % 2 === 0) === (opener === 'A') ? 'A' : 'B';
    const text = await ctx.askText(advocatePrompt(brief(run), a, b, side, turns), {
      temperature: Math.min(1.5, run.settings.temperatures.judge + 0.3),
      maxTokens: MAX_TOKENS.debate,
    });
    // Debates are prose: identifiers they name (DOI, arXiv id, PMID) are checked like any reference.
    const named = namedIdentifiers(text).map((citation) => checkReference({ citation, relevance: '' }, run.literature?.records ?? [], ctx.literature));
    const references = await Promise.all(named);
    turns.push({ speaker: side, text, ...(references.length > 0 ? { references } : {}) });
  }
  const v = await ctx.ask(verdictPrompt(brief(run), a, b, turns), verdictAnswer, {
    temperature: run.settings.temperatures.judge,
    maxTokens: MAX_TOKENS.debate,
  });
  return { ...v, debate: [...turns, { speaker: 'judge', text: v.reason }] };
}

function record(ctx: StepContext, aId: string, bId: string, v: Verdict): void {
  const k = ctx.run().settings.elo_k;
  let match: Match | undefined;
  ctx.update((r) => {
    const a = r.hypotheses.find((h) => h.id === aId)!;
    const b = r.hypotheses.find((h) => h.id === bId)!;
    const next = eloUpdate(a.elo, b.elo, v.winner === 'A' ? 'a' : 'b', k);
    match = {
      id: ctx.newId('m'),
      cycle: ctx.cycle,
      a: aId,
      b: bId,
      winner: v.winner === 'A' ? aId : bId,
      reason: v.reason,
      elo_before: { a: a.elo, b: b.elo },
      elo_delta: next.delta,
      debate: v.debate,
    };
    [a.elo, b.elo] = [next.a, next.b];
    const [w, l] = v.winner === 'A' ? [a, b] : [b, a];
    w.wins++;
    l.losses++;
    r.matches.push(match);
  });
  ctx.emit('match', { match: match! });
}
