/** Step 2: every hypothesis that has not met others yet gets a model review, in parallel. */
import { MAX_TOKENS } from '../call-plan.js';
import { reviewPrompt } from '../prompts/review.js';
import { reviewAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import type { Review } from '../run-types.js';
import { competing } from './ranking.js';

export async function review(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  // Newcomers that can compete and have no model review yet (a resumed step skips what was done).
  const todo = competing(run.hypotheses).filter((h) => !h.entered && !h.reviews.some((r) => r.by === 'model'));
  let done = 0;
  ctx.progress('review', 0, todo.length, 'Reviewing');
  await ctx.parallel(todo, async (h) => {
    const answer = await ctx.ask(reviewPrompt(run.goal, h), reviewAnswer, { temperature: run.settings.temperatures.review, maxTokens: MAX_TOKENS.review });
    const rec: Review = { id: ctx.newId('r'), cycle: ctx.cycle, by: 'model', ...answer };
    ctx.update((r) => void r.hypotheses.find((x) => x.id === h.id)?.reviews.push(rec));
    ctx.emit('review', { hypothesis_id: h.id, review: rec });
    ctx.progress('review', ++done, todo.length);
  });
}
