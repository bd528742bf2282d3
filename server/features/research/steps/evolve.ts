/** Step 4: the top k each get a child by a named strategy; children wait to enter the next tournament. */
import { BUDGET, MAX_TOKENS } from '../call-plan.js';
import { checkEvidence } from '../grounding.js';
import { excerptsBlock } from '../prompts/parts.js';
import type { Hypothesis, RunRecord } from '../run-types.js';
import { EXCERPTS_HEADING } from './generate.js';
import { newHypothesis } from '../new-hypothesis.js';
import { evolvePrompt, OTHERS, READS_EXCERPTS, STRATEGIES, type Strategy } from '../prompts/evolve.js';
import { evolveAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import { brief } from './brief.js';
import { leadersOf } from './leaders.js';
import { byRating, competing } from './ranking.js';

const ORDER = Object.keys(STRATEGIES) as Strategy[];

/** The n-th strategy of the run's rotation; one that needs other hypotheses is skipped when the pool has none. */
export function strategyFor(n: number, pool: number): Strategy {
  for (let k = 0; k < ORDER.length; k++) {
    const s = ORDER[(n + k) % ORDER.length]!;
    if (OTHERS[s] === 0 || pool > 1) return s;
  }
  return 'simplify';
}

export async function evolve(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  const pool = competing(run.hypotheses);
  const top = leadersOf(run.hypotheses, run.settings.top_k);
  // A resumed step skips parents that already have a child from this cycle.
  const born = new Set(run.hypotheses.filter((h) => h.origin === 'evolved' && h.cycle === ctx.cycle).map((h) => h.parents[0]));
  const todo = top.map((parent, i) => ({ parent, i })).filter(({ parent }) => !born.has(parent.id));
  let done = top.length - todo.length;
  ctx.progress('evolve', done, top.length, 'Evolving the leaders');
  // Strategies rotate across children and cycles: each cycle starts where the last one stopped.
  const offset = run.hypotheses.filter((h) => h.origin === 'evolved' && h.cycle < ctx.cycle).length;
  const leaders = byRating(pool);
  await ctx.parallel(todo, async ({ parent, i }) => {
    const strategy = strategyFor(offset + i, pool.length);
    const others = leaders.filter((h) => h.id !== parent.id).slice(0, OTHERS[strategy]);
    const records = run.literature?.records ?? [];
    const excerpts = READS_EXCERPTS.includes(strategy)
      ? excerptsBlock(evidenceFor([parent, ...others], records), BUDGET.excerpts, EXCERPTS_HEADING)
      : { text: '', given: [] };
    const answer = await ctx.ask(evolvePrompt(brief(run), strategy, parent, others, excerpts.text), evolveAnswer(excerpts.given), {
      temperature: run.settings.temperatures.evolve,
      maxTokens: MAX_TOKENS.evolve,
    });
    const lineage = { strategy, parents: [parent.id, ...others.map((h) => h.id)] };
    const child = newHypothesis(ctx.newId('h'), ctx.cycle, answer.hypothesis, 'evolved', lineage, checkEvidence(answer.hypothesis.evidence, records));
    ctx.update((r) => void r.hypotheses.push(child));
    ctx.emit('child', { hypothesis: child, change: answer.change });
    ctx.progress('evolve', ++done, top.length);
  });
}

/** The records a child may rest on: what its parents cite, then their closest prior work, then the rest of the run's. */
function evidenceFor(parents: Hypothesis[], records: readonly RunRecord[]): RunRecord[] {
  const first = [...new Set(parents.flatMap((p) => [...p.citations, ...p.prior_work.map((w) => w.n)]))];
  const rest = records.filter((r) => !first.includes(r.n));
  return [...first.map((n) => records[n - 1]).filter((r): r is RunRecord => r !== undefined), ...rest];
}
