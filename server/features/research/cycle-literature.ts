/**
 * A cycle's way to the literature: searches and reference checks through the core's library,
 * within the cycle's lookup budget. A source that fails, or a spent budget, never fails the
 * cycle: searches return what the others gave, and a reference nothing could check is
 * `unverifiable`.
 */
import type { Library } from '../../core/literature/library.js';
import type { LiteratureRecord, LiteratureSource, RecordIds, SourceName } from '../../core/literature/record.js';
import { parseReference, titleContradicts, titlesMatch, verifyReference } from '../../core/literature/verify.js';
import type { LookupBudget } from './lookup-budget.js';
import type { CheckedReference, RunRecord } from './run-types.js';
import type { ModelReference } from './schemas.js';

export interface CycleLiterature {
  /** The sources a search asks. */
  readonly sources: SourceName[];
  readonly queriesPerCycle: number;
  /** Records for a query across the sources, and a notice for each source that gave nothing. */
  search(query: string, signal?: AbortSignal): Promise<Found>;
  /** Checks a reference by identifier or title against the sources (the run's own records are checked first by checkReference). */
  verify(citation: string): Promise<Omit<CheckedReference, 'relevance'>>;
}

export interface Found {
  records: LiteratureRecord[];
  notices: Array<{ source: SourceName | null; message: string }>;
}

export interface LiteratureAccess {
  library: Library;
  bySource: Partial<Record<SourceName, LiteratureSource>>;
  queriesPerCycle: number;
  /** Literature requests one cycle may make at most (config max_lookups_per_cycle). */
  lookupsPerCycle: number;
  /** Sources a title check asks: those without a slow pace (arXiv takes one request per 3 s); all when none. */
  titleSources: SourceName[];
}

const SPENT = "This cycle's literature lookups are spent (config literature.max_lookups_per_cycle); later searches and checks wait for the next cycle.";

export function cycleLiterature(access: LiteratureAccess, budget: LookupBudget): CycleLiterature {
  const { library } = access;
  const titleSources = access.titleSources.length > 0 ? access.titleSources : library.sources;
  const search = async (query: string, signal?: AbortSignal, only?: SourceName[]): Promise<Found> => {
    const n = only?.length ?? library.sources.length;
    if (!budget.reserve(n)) return { records: [], notices: [{ source: null, message: SPENT }] };
    let made = n;
    try {
      const result = await library.search(query, signal, only);
      made = result.lookups;
      return {
        records: result.records,
        notices: result.failures.map((f) => ({ source: f.source, message: `${SOURCE_LABEL[f.source]} unavailable this cycle: ${f.message}` })),
      };
    } finally {
      budget.settle(n, made);
    }
  };
  // Each identifier lookup is one request, held from the budget before it is sent.
  const bySource = Object.fromEntries(
    Object.entries(access.bySource).map(([name, source]) => [name, source.lookup ? budgeted(source, budget) : source]),
  ) as Partial<Record<SourceName, LiteratureSource>>;
  return {
    sources: library.sources,
    queriesPerCycle: access.queriesPerCycle,
    search,
    verify: async (citation) => {
      const checked = await verifyReference(citation, { bySource, search: async (title) => (await search(title, undefined, titleSources)).records });
      return { citation, status: checked.status, via: checked.via, record: checked.record };
    },
  };
}

function budgeted(source: LiteratureSource, budget: LookupBudget): LiteratureSource {
  return {
    name: source.name,
    search: (req) => source.search(req),
    lookup: async (ids: RecordIds, signal?: AbortSignal) => {
      if (!budget.reserve(1)) throw new Error(SPENT);
      try {
        return await source.lookup!(ids, signal);
      } finally {
        budget.settle(1, 1);
      }
    },
  };
}

export const SOURCE_LABEL: Record<SourceName, string> = { openalex: 'OpenAlex', europepmc: 'Europe PMC', arxiv: 'arXiv', crossref: 'Crossref' };

/**
 * Checks one reference a model named: "[n]" is one of the run's records (verified) or a number
 * that does not exist (not_found); an identifier or title that matches a run record is verified
 * without a request; anything else is asked of the sources, or is unverifiable with literature off.
 */
export async function checkReference(ref: ModelReference, records: readonly RunRecord[], literature: CycleLiterature | null): Promise<CheckedReference> {
  const base = { citation: ref.citation, relevance: ref.relevance };
  const numbered = /^\s*\[(\d{1,4})\]/.exec(ref.citation)?.[1];
  if (numbered !== undefined) {
    const record = records[Number(numbered) - 1];
    return { ...base, status: record ? 'verified' : 'not_found', via: 'excerpt', record: record ? summary(record) : null };
  }
  const local = ownRecord(ref.citation, records);
  if (local) return { ...base, status: 'verified', via: local.via, record: summary(local.record) };
  if (!literature) return { ...base, status: 'unverifiable', via: null, record: null };
  const checked = await literature.verify(ref.citation);
  return { ...base, status: checked.status, via: checked.via, record: checked.record };
}

/** A run record the reference names by identifier, or by a matching title. */
function ownRecord(citation: string, records: readonly RunRecord[]): { record: RunRecord; via: CheckedReference['via'] } | undefined {
  const { ids, title } = parseReference(citation);
  for (const key of ['doi', 'arxiv', 'pmid'] as const) {
    const id = ids[key];
    if (!id) continue;
    const record = records.find((r) => r.ids[key] === id);
    // The same identifier under another work's title is an invented reference: leave it to the sources' check.
    if (record) return title !== null && titleContradicts(title, record.title) ? undefined : { record, via: key };
  }
  if (Object.keys(ids).length > 0 || title === null) return undefined;
  const record = records.find((r) => titlesMatch(title, r.title));
  return record ? { record, via: 'title' } : undefined;
}

const summary = (r: LiteratureRecord): CheckedReference['record'] => ({ id: r.id, source: r.source, title: r.title, year: r.year, url: r.url, ids: r.ids });

/** Identifiers a text names (DOI, arXiv id, PMID), as references to check: debates are prose. */
export function namedIdentifiers(text: string): string[] {
  const found = [
    ...(text.match(/\b10\.\d{4,9}\/[^\s"<>]+/g) ?? []).map((d) => `doi:${d.replace(/[.,;)\]]+$/, '')}`),
    ...(text.match(/arxiv[:\s/]*\d{4}\.\d{4,5}(v\d+)?/gi) ?? []),
    ...(text.match(/\bPMID:?\s*\d{1,9}\b/gi) ?? []),
  ];
  return [...new Set(found)].slice(0, 5);
}
