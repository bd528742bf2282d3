/** The top k competing hypotheses by Elo, best first (ties keep the older first): who is verified in depth and evolved. */
import { topK } from '../pairing.js';
import type { Hypothesis } from '../run-types.js';
import { competing } from './ranking.js';

export function leadersOf(hypotheses: readonly Hypothesis[], k: number): Hypothesis[] {
  const pool = competing(hypotheses);
  const byId = new Map(pool.map((h) => [h.id, h]));
  return topK(
    pool.map((h) => h.id),
    (id) => byId.get(id)!.elo,
    k,
  ).map((id) => byId.get(id)!);
}
