/** Step 0: screen the goal with one short call before anything else is spent; the same answer writes the research plan. */
import { MAX_TOKENS } from '../call-plan.js';
import { screenPrompt } from '../prompts/screen.js';
import { goalScreenAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';

export async function screenGoal(ctx: StepContext): Promise<boolean> {
  const run = ctx.run();
  ctx.progress('screen', 0, 1, 'Checking the goal');
  const { plan, ...answer } = await ctx.ask(screenPrompt(run.goal), goalScreenAnswer, {
    temperature: run.settings.temperatures.screen,
    maxTokens: MAX_TOKENS.screen + MAX_TOKENS.plan,
  });
  ctx.update((r) => {
    r.screening = answer;
    // A plan the scientist already edited stays theirs.
    if (answer.allowed && plan && r.plan === null) r.plan = plan;
  });
  ctx.progress('screen', 1, 1);
  return answer.allowed;
}
