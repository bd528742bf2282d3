/** Step 2: every hypothesis that has not met others yet gets a model review, in parallel. */
import { MAX_TOKENS } from '../call-plan.js';
import { reviewPrompt } from '../prompts/review.js';
import { reviewAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import type { Review } from '../run-types.js';

export async function review(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  // A resumed step skips what was reviewed before the interruption.
  const todo = run.hypotheses.filter((h) => !h.dropped && !h.entered && !h.reviews.some((r) => r.by === 'model' && r.cycle === ctx.cycle));
  let done = 0;
  ctx.progress('review', 0, todo.length, 'Reviewing');
  await ctx.parallel(todo, async (h) => {
    const answer = await ctx.ask('review', reviewPrompt(run.goal, h), reviewAnswer, { temperature: run.settings.temperatures.review, maxTokens: MAX_TOKENS.review });
    const rec: Review = { id: ctx.newId('r'), cycle: ctx.cycle, by: 'model', ...answer };
    ctx.update((r) => void r.hypotheses.find((x) => x.id === h.id)?.reviews.push(rec));
    ctx.emit('review', { hypothesis_id: h.id, review: rec });
    ctx.progress('review', ++done, todo.length);
  });
}
