/** Step 0: screen the goal with one short call before anything else is spent. */
import { MAX_TOKENS } from '../call-plan.js';
import { screenPrompt } from '../prompts/screen.js';
import { screenAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';

export async function screenGoal(ctx: StepContext): Promise<boolean> {
  const run = ctx.run();
  ctx.progress('screen', 0, 1, 'Checking the goal');
  const answer = await ctx.ask(screenPrompt(run.goal), screenAnswer, { temperature: run.settings.temperatures.screen, maxTokens: MAX_TOKENS.screen });
  ctx.update((r) => void (r.screening = answer));
  ctx.progress('screen', 1, 1);
  return answer.allowed;
}
