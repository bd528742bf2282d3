/**
 * The run's literature as evidence: records merged across cycles, quotes checked against the
 * abstracts they cite, the closest prior work of each hypothesis, and research contacts. Pure.
 */
import { titleKey } from '../../core/literature/library.js';
import type { LiteratureRecord } from '../../core/literature/record.js';
import { similarityMatrix } from './proximity.js';
import type { Evidence, Hypothesis, RunRecord } from './run-types.js';
import { textOf } from './steps/similarity.js';

/** A hypothesis this close to a record (TF-IDF cosine, as near-copies of hypotheses are found) may restate published work. */
export const MAY_BE_PUBLISHED_AT = 0.75;
/** Records shown as closest prior work, at most, and how similar they must be at least. */
const PRIOR_WORK = { count: 3, min: 0.05 };

/** Records a run keeps at most: with abstracts cut to 1.5 KB, a run's literature stays under ~400 KB of state. */
export const RUN_RECORDS_MAX = 200;

/** Records not in the run yet (by DOI, PMID, arXiv id or title), numbered after the run's own, up to `max` in all. */
export function newRecords(existing: readonly RunRecord[], found: readonly LiteratureRecord[], cycle: number, max = RUN_RECORDS_MAX): RunRecord[] {
  const seen = new Set(existing.flatMap(keysOf));
  const added: RunRecord[] = [];
  for (const record of found) {
    if (existing.length + added.length >= max) break;
    const keys = keysOf(record);
    if (keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    added.push({ ...record, n: existing.length + added.length + 1, cycle });
  }
  return added;
}

function keysOf(r: LiteratureRecord): string[] {
  const { doi, pmid, arxiv } = r.ids;
  return [`id:${r.id}`, `title:${titleKey(r.title)}`, ...(doi ? [`doi:${doi}`] : []), ...(pmid ? [`pmid:${pmid}`] : []), ...(arxiv ? [`arxiv:${arxiv}`] : [])];
}

/** Whitespace collapsed and surrounding quote marks removed, for comparing a quote with an abstract. */
const normalised = (text: string) =>
  text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["“”'‘’]+|["“”'‘’]+$/g, '')
    .trim();

/** Quotes kept only where the cited abstract contains them word for word (after whitespace normalisation). */
export function checkEvidence(evidence: readonly Evidence[], records: readonly RunRecord[]): { evidence: Evidence[]; dropped: number } {
  const kept = evidence.filter(({ n, quote }) => {
    const abstract = records[n - 1]?.abstract;
    const q = normalised(quote);
    return abstract != null && q.length > 0 && normalised(abstract).includes(q);
  });
  return { evidence: kept.map((e) => ({ n: e.n, quote: normalised(e.quote) })), dropped: evidence.length - kept.length };
}

const recordText = (r: RunRecord) => `${r.title}. ${r.abstract ?? ''}`;

/** For each hypothesis, the run's records closest to it by text, most similar first. */
export function priorWork(
  hypotheses: ReadonlyArray<Pick<Hypothesis, 'id' | 'title' | 'statement' | 'rationale'>>,
  records: readonly RunRecord[],
): Map<string, { prior_work: Array<{ n: number; similarity: number }>; may_be_published: boolean }> {
  const result = new Map<string, { prior_work: Array<{ n: number; similarity: number }>; may_be_published: boolean }>();
  if (hypotheses.length === 0) return result;
  const matrix = similarityMatrix([...hypotheses.map(textOf), ...records.map(recordText)]);
  hypotheses.forEach((h, i) => {
    const row = matrix[i]!;
    const closest = records
      .map((r, j) => ({ n: r.n, similarity: Math.round(row[hypotheses.length + j]! * 100) / 100 }))
      .filter((p) => p.similarity >= PRIOR_WORK.min)
      .sort((a, b) => b.similarity - a.similarity || a.n - b.n)
      .slice(0, PRIOR_WORK.count);
    result.set(h.id, { prior_work: closest, may_be_published: (closest[0]?.similarity ?? 0) >= MAY_BE_PUBLISHED_AT });
  });
  return result;
}

/** Contacts the overview lists at most. */
const CONTACTS = 8;

/**
 * Research contacts: the first and last authors of records the leading hypotheses cite (in their
 * order), so every name comes from a real record and none from the model.
 */
export function researchContacts(
  leaders: ReadonlyArray<Pick<Hypothesis, 'id' | 'citations'>>,
  records: readonly RunRecord[],
): Array<{ name: string; n: number; hypotheses: string[] }> {
  const contacts = new Map<string, { name: string; n: number; hypotheses: string[] }>();
  for (const h of leaders)
    for (const n of h.citations) {
      const authors = records[n - 1]?.authors ?? [];
      for (const name of new Set([authors[0], authors.at(-1)].filter((a): a is string => Boolean(a)))) {
        const key = name.toLowerCase();
        const known = contacts.get(key);
        if (known) {
          if (!known.hypotheses.includes(h.id)) known.hypotheses.push(h.id);
        } else if (contacts.size < CONTACTS) contacts.set(key, { name, n, hypotheses: [h.id] });
      }
    }
  return [...contacts.values()];
}
