/** Step 4: the top k each get a child by a named strategy; children wait to enter the next tournament. */
import { MAX_TOKENS } from '../call-plan.js';
import { newHypothesis } from '../new-hypothesis.js';
import { topK } from '../pairing.js';
import { evolvePrompt, STRATEGIES, type Strategy } from '../prompts/evolve.js';
import { evolveAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import { competing } from './ranking.js';

const ORDER = Object.keys(STRATEGIES) as Strategy[];

export async function evolve(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  const pool = competing(run.hypotheses);
  const byId = new Map(pool.map((h) => [h.id, h]));
  const top = topK(
    pool.map((h) => h.id),
    (id) => byId.get(id)!.elo,
    run.settings.top_k,
  ).map((id) => byId.get(id)!);
  // A resumed step skips parents that already have a child from this cycle.
  const born = new Set(run.hypotheses.filter((h) => h.origin === 'evolved' && h.cycle === ctx.cycle).map((h) => h.parents[0]));
  const todo = top.map((parent, i) => ({ parent, i })).filter(({ parent }) => !born.has(parent.id));
  let done = top.length - todo.length;
  ctx.progress('evolve', done, top.length, 'Evolving the leaders');
  await ctx.parallel(todo, async ({ parent, i }) => {
    const strategy = ORDER[i % ORDER.length]!;
    const other = strategy === 'combine' ? top.find((h) => h.id !== parent.id) : undefined;
    const answer = await ctx.ask(evolvePrompt(run.goal, strategy, parent, other), evolveAnswer, {
      temperature: run.settings.temperatures.evolve,
      maxTokens: MAX_TOKENS.evolve,
    });
    const child = newHypothesis(ctx.newId('h'), ctx.cycle, answer.hypothesis, 'evolved', { strategy, parents: other ? [parent.id, other.id] : [parent.id] });
    ctx.update((r) => void r.hypotheses.push(child));
    ctx.emit('child', { hypothesis: child, change: answer.change });
    ctx.progress('evolve', ++done, top.length);
  });
}
