/** After the request's last cycle: the research overview, its references checked and its contacts taken from real records. */
import { MAX_TOKENS } from '../call-plan.js';
import { checkReference } from '../cycle-literature.js';
import { researchContacts } from '../grounding.js';
import { overviewPrompt } from '../prompts/overview.js';
import { overviewAnswer } from '../schemas.js';
import type { StepContext } from '../step-context.js';
import { brief } from './brief.js';
import type { Overview } from '../run-types.js';
import { byRating, competing } from './ranking.js';

/** Leading hypotheses whose cited records give the research contacts. */
const CONTACT_LEADERS = 3;

export async function overview(ctx: StepContext): Promise<void> {
  const run = ctx.run();
  ctx.progress('overview', 0, 1, 'Writing the research overview');
  const leaders = byRating(competing(run.hypotheses)).slice(0, 10);
  const records = run.literature?.records ?? [];
  const answer = await ctx.ask(overviewPrompt(brief(run), leaders, run.meta_reviews.at(-1), records, run.matches), overviewAnswer, {
    temperature: run.settings.temperatures.meta,
    maxTokens: MAX_TOKENS.overview,
  });
  const known = new Set(run.hypotheses.map((h) => h.id));
  const references = await Promise.all(answer.references.map((ref) => checkReference(ref, records, ctx.literature)));
  // Ranked ids the model made up are dropped rather than shown as if they existed.
  const ranked = answer.ranked.filter((x) => known.has(x.id));
  const byId = new Map(run.hypotheses.map((h) => [h.id, h]));
  const first = [...ranked.map((x) => byId.get(x.id)!), ...leaders].filter((h, i, all) => all.indexOf(h) === i).slice(0, CONTACT_LEADERS);
  const result: Overview = { cycle: ctx.cycle, ...answer, ranked, references, contacts: researchContacts(first, records) };
  ctx.update((r) => void (r.overview = result));
  ctx.emit('overview', { overview: result });
  ctx.progress('overview', 1, 1);
}
