/**
 * Step 1 with literature on: one model call turns the goal, the scientist's notes and the last
 * meta-review into search queries; the sources answer them (not model calls, within the cycle's
 * lookup budget) and new records join the run's literature, numbered for later prompts. A source
 * that fails is a notice, never a failed cycle.
 */
import { MAX_TOKENS } from '../call-plan.js';
import { newRecords } from '../grounding.js';
import { queriesPrompt } from '../prompts/queries.js';
import { queriesAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import { brief } from './brief.js';
import { notesFor } from './screen-input.js';

export async function searchLiterature(ctx: StepContext): Promise<void> {
  const lit = ctx.literature;
  const run = ctx.run();
  if (!lit || !run.literature) return;
  // A resumed step reuses the queries it already asked for: the plan has one call for them.
  let queries = run.literature.queries.filter((q) => q.cycle === ctx.cycle).map((q) => q.query);
  if (queries.length === 0) {
    ctx.progress('literature', 0, 1, 'Choosing what to search for');
    const answer = await ctx.ask(
      queriesPrompt({
        goal: brief(run),
        count: lit.queriesPerCycle,
        metaReview: run.meta_reviews.at(-1),
        notes: notesFor(run, ctx.cycle),
        past: run.literature.queries.map((q) => q.query),
      }),
      queriesAnswer,
      { temperature: run.settings.temperatures.generate, maxTokens: MAX_TOKENS.queries },
    );
    queries = [...new Set(answer.queries.map((q) => q.replace(/\s+/g, ' ').trim()))].slice(0, lit.queriesPerCycle);
    ctx.update((r) => void r.literature!.queries.push(...queries.map((query) => ({ cycle: ctx.cycle, query, found: 0, added: 0 }))));
  }
  let done = 0;
  ctx.progress('literature', 0, queries.length, `Searching ${lit.sources.length} sources`);
  // Queries run together; each source paces its own requests (arXiv: one per 3 s).
  const results = await Promise.all(
    queries.map(async (query) => {
      const found = await lit.search(query, ctx.signal);
      ctx.progress('literature', ++done, queries.length);
      return { query, found };
    }),
  );
  ctx.update((r) => {
    const literature = r.literature!;
    for (const { query, found } of results) {
      const added = newRecords(literature.records, found.records, ctx.cycle);
      literature.records.push(...added);
      const entry = literature.queries.find((q) => q.cycle === ctx.cycle && q.query === query);
      if (entry) Object.assign(entry, { found: found.records.length, added: added.length });
    }
    const notices = results.flatMap((x) => x.found.notices);
    // One notice per source and cycle: a source that failed every query says so once.
    const seen = new Set(literature.notices.filter((n) => n.cycle === ctx.cycle).map((n) => n.source));
    for (const n of notices) if (!seen.has(n.source) && seen.add(n.source)) literature.notices.push({ cycle: ctx.cycle, ...n });
  });
  const after = ctx.run().literature!;
  const added = after.records.filter((x) => x.cycle === ctx.cycle).length;
  ctx.emit('literature', { queries, added, records: after.records.length, notices: after.notices.filter((n) => n.cycle === ctx.cycle) });
  ctx.progress('literature', queries.length, queries.length, `${added} new records`);
}
