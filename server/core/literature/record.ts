/** What every literature source returns: one bibliographic record, whichever API it came from. */

/** The sources Labcoat can search or resolve references with. */
export type SourceName = 'openalex' | 'europepmc' | 'arxiv' | 'crossref';

/** Identifiers a record may carry, normalised: DOI lower-case without a resolver prefix, arXiv id without version. */
export interface RecordIds {
  doi?: string;
  pmid?: string;
  pmcid?: string;
  arxiv?: string;
  openalex?: string;
}

export interface LiteratureRecord {
  /** Stable within Labcoat: the first of doi:, arxiv:, pmid:, openalex: that the record has. */
  id: string;
  source: SourceName;
  title: string;
  /** Display names, in the record's order (at most the first 20). */
  authors: string[];
  year: number | null;
  venue: string | null;
  ids: RecordIds;
  /** A link to the record for a reader (the DOI resolver, arXiv abs page, Europe PMC page…). */
  url: string | null;
  /** Plain text, whitespace collapsed; null when the source has none. Cut to a byte budget by the caller. */
  abstract: string | null;
}

/** A search a source answers: free text, at most `limit` records. */
export interface SearchRequest {
  query: string;
  limit: number;
  signal?: AbortSignal;
}

/** One literature API behind one interface. */
export interface LiteratureSource {
  readonly name: SourceName;
  /** Records matching the query, best first; [] when none. Throws LiteratureError when the source fails. */
  search(req: SearchRequest): Promise<LiteratureRecord[]>;
  /** The record with this identifier, or null when the source has none. Only sources that can resolve ids have it. */
  lookup?(ids: RecordIds, signal?: AbortSignal): Promise<LiteratureRecord | null>;
}

/** DOI as Labcoat keeps it: lower-case, no https://doi.org/ or doi: prefix; undefined when it is not a DOI. */
export function normaliseDoi(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const doi = raw
    .trim()
    .replace(/^https?:\/\/(dx\.)?doi\.org\//i, '')
    .replace(/^doi:\s*/i, '')
    .toLowerCase();
  return /^10\.\d{4,9}\/\S+$/.test(doi) ? doi : undefined;
}

/** arXiv id without version or prefix ('2301.01234', 'hep-th/9901001'); undefined when it is not one. */
export function normaliseArxivId(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const id = raw
    .trim()
    .replace(/^https?:\/\/arxiv\.org\/(abs|pdf)\//i, '')
    .replace(/^arxiv:/i, '')
    .replace(/\.pdf$/i, '')
    .replace(/v\d+$/i, '');
  return /^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})$/i.test(id) ? id : undefined;
}

/** The record's Labcoat id from its identifiers: doi, then arxiv, pmid, openalex. */
export function recordId(ids: RecordIds): string | undefined {
  if (ids.doi) return `doi:${ids.doi}`;
  if (ids.arxiv) return `arxiv:${ids.arxiv}`;
  if (ids.pmid) return `pmid:${ids.pmid}`;
  if (ids.openalex) return `openalex:${ids.openalex}`;
  return undefined;
}

/** Whitespace collapsed, trimmed; null for empty text. */
export function plainText(raw: string | null | undefined): string | null {
  const text = (raw ?? '').replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}
