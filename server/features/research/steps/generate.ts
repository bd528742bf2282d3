/** Step 2: N new hypotheses; a model that returns more keeps the first N, fewer keeps what came. */
import { BUDGET, MAX_TOKENS } from '../call-plan.js';
import { checkEvidence } from '../grounding.js';
import { newHypothesis } from '../new-hypothesis.js';
import { generatePrompt } from '../prompts/generate.js';
import { excerptsBlock, reviewBlock } from '../prompts/parts.js';
import { generateAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import { brief } from './brief.js';
import { notesFor } from './screen-input.js';
import type { Hypothesis, ResearchRun, RunRecord } from '../run-types.js';
import { byRating } from './ranking.js';

export const EXCERPTS_HEADING = 'Literature excerpts (cite them by number):';

export async function generate(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  const n = run.settings.hypotheses;
  ctx.progress('generate', 0, n, `Generating ${n} hypotheses`);
  // What the screen refused never reaches a prompt.
  const seen = run.hypotheses.filter((h) => h.refused === null);
  const active = seen.filter((h) => !h.dropped);
  // What to build on: pinned ones first, then the leaders.
  const known = [...active.filter((h) => h.pinned), ...byRating(active.filter((h) => !h.pinned))].slice(0, n);
  // Every other earlier idea by title, newest cycle first and best first within it, so none comes back.
  const shown = new Set(known.map((h) => h.id));
  const explored = seen
    .filter((h) => !shown.has(h.id))
    .sort((a, b) => b.cycle - a.cycle || b.elo - a.elo)
    .map((h) => h.title);
  const records = run.literature?.records ?? [];
  const excerpts = excerptsBlock(newestFirst(records, ctx.cycle), BUDGET.excerpts, EXCERPTS_HEADING);
  const prompt = generatePrompt({
    goal: brief(run),
    count: n,
    metaReview: run.meta_reviews.at(-1),
    notes: notesFor(run, ctx.cycle),
    known,
    excerpts: excerpts.text,
    explored,
    scientistReviews: scientistReviews(run, ctx.cycle),
  });
  const answer = await ctx.ask(prompt, generateAnswer(excerpts.given), {
    temperature: run.settings.temperatures.generate,
    maxTokens: MAX_TOKENS.generate + n * MAX_TOKENS.generate_per_hypothesis,
  });
  const made: Hypothesis[] = answer.hypotheses
    .slice(0, n)
    .map((d) => newHypothesis(ctx.newId('h'), ctx.cycle, d, 'generated', undefined, checkEvidence(d.evidence, records)));
  ctx.update((r) => void r.hypotheses.push(...made));
  made.forEach((h, i) => {
    ctx.emit('hypothesis', { hypothesis: h });
    ctx.progress('generate', i + 1, n);
  });
}

/** The scientist's reviews written for this cycle, newest first, each with the title it judges. */
export function scientistReviews(run: Readonly<ResearchRun>, cycle: number): string[] {
  return run.hypotheses
    .flatMap((h) => h.reviews.filter((r) => r.by === 'scientist' && r.cycle === cycle).map((r) => `"${h.title}": ${reviewBlock(r)}`))
    .reverse();
}

/** This cycle's records first (they answer this cycle's queries), then earlier ones, each group in search order. */
function newestFirst(records: readonly RunRecord[], cycle: number): RunRecord[] {
  return [...records.filter((r) => r.cycle === cycle), ...records.filter((r) => r.cycle !== cycle)];
}
