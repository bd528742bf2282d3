/** Text similarity between a run's hypotheses, for pairing and for the proximity step. */
import { similarityMatrix } from '../proximity.js';
import type { Hypothesis } from '../run-types.js';

export function textOf(h: Pick<Hypothesis, 'title' | 'statement' | 'rationale'>): string {
  return `${h.title}. ${h.statement} ${h.rationale}`;
}

/** similarity(a, b) over the given hypotheses, computed once. */
export function similarityOf(hs: readonly Hypothesis[]): (a: string, b: string) => number {
  const index = new Map(hs.map((h, i) => [h.id, i]));
  const matrix = similarityMatrix(hs.map(textOf));
  return (a, b) => matrix[index.get(a) ?? -1]?.[index.get(b) ?? -1] ?? 0;
}
