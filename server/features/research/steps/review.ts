/**
 * Step 3: every hypothesis that has not met others yet gets a model review, in parallel. The
 * review reads the hypothesis's closest prior work (so novelty is judged against real papers),
 * and every reference it names is checked before the review is kept.
 */
import { BUDGET, MAX_TOKENS } from '../call-plan.js';
import { checkReference } from '../cycle-literature.js';
import { priorWork } from '../grounding.js';
import { excerptsBlock } from '../prompts/parts.js';
import { reviewPrompt } from '../prompts/review.js';
import { reviewAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import { brief } from './brief.js';
import type { Review, RunRecord } from '../run-types.js';
import { competing } from './ranking.js';

export const PRIOR_WORK_HEADING = 'Closest prior work found by literature search (judge novelty against it; cite it as [n]):';

export async function review(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  // Newcomers that can compete and have no model review yet (a resumed step skips what was done).
  const todo = competing(run.hypotheses).filter((h) => !h.entered && !h.reviews.some((r) => r.by === 'model'));
  const records = run.literature?.records ?? [];
  const closest = priorWork(todo, records);
  ctx.update((r) => {
    for (const h of r.hypotheses) Object.assign(h, closest.get(h.id) ?? {});
  });
  let done = 0;
  ctx.progress('review', 0, todo.length, 'Reviewing');
  await ctx.parallel(todo, async (h) => {
    const near = closest.get(h.id)?.prior_work ?? [];
    const shown = [...new Set([...near.map((w) => w.n), ...h.citations])].map((n) => records[n - 1]).filter((x): x is RunRecord => x !== undefined);
    const prior = excerptsBlock(shown, BUDGET.prior_work, PRIOR_WORK_HEADING);
    const answer = await ctx.ask(reviewPrompt(brief(run), { ...h, ...closest.get(h.id) }, prior.text), reviewAnswer, {
      temperature: run.settings.temperatures.review,
      maxTokens: MAX_TOKENS.review,
    });
    const references = await Promise.all(answer.references.map((ref) => checkReference(ref, records, ctx.literature)));
    const rec: Review = { id: ctx.newId('r'), cycle: ctx.cycle, by: 'model', ...answer, references };
    ctx.update((r) => void r.hypotheses.find((x) => x.id === h.id)?.reviews.push(rec));
    ctx.emit('review', { hypothesis_id: h.id, review: rec });
    ctx.progress('review', ++done, todo.length);
  });
}
