/** How a run used the literature, for the exports' methods note: sources, queries, dates and counts. Pure. */
import { SOURCE_LABEL } from './cycle-literature.js';
import type { CheckedReference, ResearchRun } from './run-types.js';

export interface LiteratureMethods {
  enabled: boolean;
  sources: string[];
  /** Days (UTC) the run's cycles ran, first and last. */
  searched: { from: string; to: string } | null;
  queries: Array<{ cycle: number; query: string; found: number; added: number }>;
  records: number;
  lookups: number;
  references: Record<CheckedReference['status'], number>;
  notices: Array<{ cycle: number; source: string | null; message: string }>;
}

/** Every reference the run shows: in reviews, debate turns and the overview. */
export function shownReferences(run: Readonly<ResearchRun>): CheckedReference[] {
  return [
    ...run.hypotheses.flatMap((h) => h.reviews.flatMap((r) => r.references)),
    ...run.matches.flatMap((m) => (m.debate ?? []).flatMap((t) => t.references ?? [])),
    ...(run.overview?.references ?? []),
  ];
}

export function literatureMethods(run: Readonly<ResearchRun>): LiteratureMethods {
  const lit = run.literature;
  const references = { verified: 0, not_found: 0, unverifiable: 0 };
  for (const r of shownReferences(run)) references[r.status]++;
  const days = run.cycles.flatMap((c) => [c.started_at, c.finished_at]).filter((t): t is number => t !== null);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    enabled: lit !== null,
    sources: (lit?.sources ?? []).map((s) => SOURCE_LABEL[s]),
    searched: days.length > 0 ? { from: day(Math.min(...days)), to: day(Math.max(...days)) } : null,
    queries: lit?.queries ?? [],
    records: lit?.records.length ?? 0,
    lookups: run.cycles.reduce((sum, c) => sum + c.lookups, 0),
    references,
    notices: (lit?.notices ?? []).map((n) => ({ ...n, source: n.source && SOURCE_LABEL[n.source] })),
  };
}

/** The methods note as one paragraph of plain text. */
export function methodsText(m: LiteratureMethods): string {
  const refs = `References the model named: ${m.references.verified} verified, ${m.references.not_found} not found, ${m.references.unverifiable} unverifiable.`;
  if (!m.enabled) return `Literature search was off for this run: nothing was searched, and no reference could be checked. ${refs}`;
  const when = m.searched ? (m.searched.from === m.searched.to ? ` on ${m.searched.from}` : ` from ${m.searched.from} to ${m.searched.to}`) : '';
  const cycles = new Set(m.queries.map((q) => q.cycle)).size;
  return [
    `Searched ${list(m.sources)}${when} with ${count(m.queries.length, 'query', 'queries')} over ${count(cycles, 'cycle')} (${count(m.lookups, 'request')}; cached answers ask no one again).`,
    `${count(m.records, 'record')} kept, de-duplicated by DOI, PMID, arXiv id and title.`,
    refs,
    'A verified reference resolved to a real record whose title matches; not found: its identifier leads nowhere or to another work; unverifiable: nothing to check it by.',
  ].join(' ');
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const list = (xs: string[]) => (xs.length <= 1 ? (xs[0] ?? 'no source') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`);
