/**
 * Step 4 (after the tournament): a deep verification of each of the top k that has none yet, in
 * parallel: its assumptions, each supported, uncertain or invalidating, and what would sink it.
 * Judges and evolution read it from then on.
 */
import { BUDGET, MAX_TOKENS } from '../call-plan.js';
import { deepReviewPrompt } from '../prompts/deep-review.js';
import { excerptsBlock } from '../prompts/parts.js';
import type { DeepReview, RunRecord } from '../run-types.js';
import { deepReviewAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import { brief } from './brief.js';
import { EXCERPTS_HEADING } from './generate.js';
import { leadersOf } from './leaders.js';

export async function deepReview(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  const top = leadersOf(run.hypotheses, run.settings.top_k);
  const todo = top.filter((h) => h.deep_review === null);
  let done = top.length - todo.length;
  ctx.progress('deep_review', done, top.length, 'Verifying the leaders in depth');
  const records = run.literature?.records ?? [];
  await ctx.parallel(todo, async (h) => {
    const cited = [...new Set([...h.citations, ...h.prior_work.map((w) => w.n)])].map((n) => records[n - 1]).filter((r): r is RunRecord => r !== undefined);
    const excerpts = excerptsBlock(cited, BUDGET.prior_work, EXCERPTS_HEADING);
    const answer = await ctx.ask(deepReviewPrompt(brief(run), h, excerpts.text), deepReviewAnswer(excerpts.given), {
      temperature: run.settings.temperatures.review,
      maxTokens: MAX_TOKENS.deep_review,
    });
    const review: DeepReview = { cycle: ctx.cycle, ...answer };
    ctx.update((r) => void (r.hypotheses.find((x) => x.id === h.id)!.deep_review = review));
    ctx.emit('deep_review', { hypothesis_id: h.id, deep_review: review });
    ctx.progress('deep_review', ++done, top.length);
  });
}
