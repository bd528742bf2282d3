/** Step 6: what this cycle's reviews and verdicts keep saying, fed into the next generation. */
import { MAX_TOKENS } from '../call-plan.js';
import { metaReviewPrompt } from '../prompts/meta-review.js';
import { metaReviewAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import type { MetaReview } from '../run-types.js';

export async function metaReview(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  ctx.progress('meta_review', 0, 1, 'Writing the meta-review');
  const reviews = run.hypotheses.flatMap((h) => h.reviews.filter((r) => r.cycle === ctx.cycle).map((r) => `Review of "${h.title}": ${r.summary}`));
  const verdicts = run.matches
    .filter((m) => m.cycle === ctx.cycle)
    .map((m) => `Match won by "${run.hypotheses.find((h) => h.id === m.winner)?.title}": ${m.reason}`);
  const answer = await ctx.ask(metaReviewPrompt(run.goal, [...verdicts.reverse(), ...reviews.reverse()]), metaReviewAnswer, {
    temperature: run.settings.temperatures.meta,
    maxTokens: MAX_TOKENS.meta_review,
  });
  const meta: MetaReview = { cycle: ctx.cycle, ...answer };
  ctx.update((r) => void r.meta_reviews.push(meta));
  ctx.emit('meta_review', { meta_review: meta });
  ctx.progress('meta_review', 1, 1);
}
