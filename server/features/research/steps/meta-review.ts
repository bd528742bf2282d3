/** Step 6: what this cycle's reviews and verdicts keep saying, fed into the next generation. */
import { BUDGET, MAX_TOKENS } from '../call-plan.js';
import { cut } from '../prompts/parts.js';
import { metaReviewPrompt } from '../prompts/meta-review.js';
import { metaReviewAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import { brief } from './brief.js';
import type { MetaReview } from '../run-types.js';

export async function metaReview(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  ctx.progress('meta_review', 0, 1, 'Writing the meta-review');
  const title = (id: string) => run.hypotheses.find((h) => h.id === id)?.title ?? id;
  const reviews = (by: 'scientist' | 'model') =>
    run.hypotheses.flatMap((h) =>
      h.reviews
        .filter((r) => r.cycle === ctx.cycle && r.by === by)
        .map((r) => `${by === 'scientist' ? "The scientist's review" : 'Review'} of "${h.title}": ${r.summary}`),
    );
  const matches = run.matches.filter((m) => m.cycle === ctx.cycle);
  const verdicts = matches.filter((m) => !m.debate).map((m) => `Match "${title(m.a)}" vs "${title(m.b)}", won by "${title(m.winner)}": ${m.reason}`);
  // Debates in full (each turn cut), so the meta-review sums up what was argued, not only who won.
  const debates = matches
    .filter((m) => m.debate)
    .map(
      (m) =>
        `Debate "${title(m.a)}" (A) vs "${title(m.b)}" (B), won by "${title(m.winner)}":\n${m.debate!.map((t) => `${t.speaker}: ${cut(t.text, BUDGET.debate_turn)}`).join('\n')}`,
    );
  // The scientist's reviews first, so a cut to the budget never drops them.
  const evidence = [...reviews('scientist').reverse(), ...debates.reverse(), ...verdicts.reverse(), ...reviews('model').reverse()];
  const answer = await ctx.ask(metaReviewPrompt(brief(run), evidence), metaReviewAnswer, {
    temperature: run.settings.temperatures.meta,
    maxTokens: MAX_TOKENS.meta_review,
  });
  const meta: MetaReview = { cycle: ctx.cycle, ...answer };
  ctx.update((r) => void r.meta_reviews.push(meta));
  ctx.emit('meta_review', { meta_review: meta });
  ctx.progress('meta_review', 1, 1);
}
