/** Step 6 (no model call): near-copies are flagged so they stop competing (pinned ones never are); closest prior work is refreshed. */
import { priorWork } from '../grounding.js';
import { nearDuplicates, similarityMatrix } from '../proximity.js';
import type { StepContext } from '../step-context.js';
import { competing } from './ranking.js';
import { textOf } from './similarity.js';

export const DUPLICATE_AT = 0.75;

export function flagDuplicates(ctx: StepContext): void {
  const pool = competing(ctx.run().hypotheses);
  const matrix = similarityMatrix(pool.map(textOf));
  const pairs = nearDuplicates(
    pool.map((h) => h.id),
    matrix,
    DUPLICATE_AT,
  );
  const flagged = new Map<string, string>();
  for (const p of pairs) {
    // Keep the earlier one (it has the longer record); the later copy is flagged.
    const later = pool.find((h) => h.id === p.b)!;
    // A child close to its own parent plays first: it enters the next tournament and meets the parent.
    const unplayedChild = !later.entered && later.parents.includes(p.a);
    if (!later.pinned && !unplayedChild && !flagged.has(p.a) && !flagged.has(p.b)) flagged.set(p.b, p.a);
  }
  // Closest prior work again, for every competitor: later searches may have found closer papers.
  const closest = priorWork(pool, ctx.run().literature?.records ?? []);
  ctx.update((r) => {
    for (const h of r.hypotheses) {
      if (flagged.has(h.id)) h.duplicate_of = flagged.get(h.id)!;
      Object.assign(h, closest.get(h.id) ?? {});
    }
  });
  for (const [id, of] of flagged) ctx.emit('duplicate', { hypothesis_id: id, duplicate_of: of });
  ctx.progress('proximity', 1, 1, flagged.size > 0 ? `${flagged.size} near-duplicates flagged` : 'No near-duplicates');
}
