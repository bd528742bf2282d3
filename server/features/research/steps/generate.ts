/** Step 1: N new hypotheses; a model that returns more keeps the first N, fewer keeps what came. */
import { MAX_TOKENS } from '../call-plan.js';
import { newHypothesis } from '../new-hypothesis.js';
import { generatePrompt } from '../prompts/generate.js';
import { generateAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import type { Hypothesis } from '../run-types.js';
import { byRating } from './ranking.js';

export async function generate(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  const n = run.settings.hypotheses;
  ctx.progress('generate', 0, n, `Generating ${n} hypotheses`);
  const active = run.hypotheses.filter((h) => !h.dropped);
  // What to build on: pinned ones first, then the leaders.
  const known = [...active.filter((h) => h.pinned), ...byRating(active.filter((h) => !h.pinned))].slice(0, n);
  const prompt = generatePrompt({
    goal: run.goal,
    count: n,
    metaReview: run.meta_reviews.at(-1),
    notes: run.notes.filter((x) => x.cycle === ctx.cycle).map((x) => x.text),
    known,
  });
  const answer = await ctx.ask(prompt, generateAnswer, {
    temperature: run.settings.temperatures.generate,
    maxTokens: MAX_TOKENS.generate + n * MAX_TOKENS.generate_per_hypothesis,
  });
  const made: Hypothesis[] = answer.hypotheses.slice(0, n).map((d) => newHypothesis(ctx.newId('h'), ctx.cycle, d, 'generated'));
  ctx.update((r) => void r.hypotheses.push(...made));
  made.forEach((h, i) => {
    ctx.emit('hypothesis', { hypothesis: h });
    ctx.progress('generate', i + 1, n);
  });
}
