/** After the request's last cycle: the research overview. */
import { MAX_TOKENS } from '../call-plan.js';
import { overviewPrompt } from '../prompts/overview.js';
import { overviewAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import type { Overview } from '../run-types.js';
import { byRating, competing } from './ranking.js';

export async function overview(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  ctx.progress('overview', 0, 1, 'Writing the research overview');
  const leaders = byRating(competing(run.hypotheses)).slice(0, 10);
  const answer = await ctx.ask(overviewPrompt(run.goal, leaders, run.meta_reviews.at(-1)), overviewAnswer, {
    temperature: run.settings.temperatures.meta,
    maxTokens: MAX_TOKENS.overview,
  });
  const known = new Set(run.hypotheses.map((h) => h.id));
  // Ranked ids the model made up are dropped rather than shown as if they existed.
  const result: Overview = { cycle: ctx.cycle, ...answer, ranked: answer.ranked.filter((x) => known.has(x.id)) };
  ctx.update((r) => void (r.overview = result));
  ctx.emit('overview', { overview: result });
  ctx.progress('overview', 1, 1);
}
