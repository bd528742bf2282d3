import { titleKey } from './library.js';
import { type LiteratureRecord, type LiteratureSource, normaliseArxivId, normaliseDoi, type RecordIds, type SourceName } from './record.js';

/**
 * What Labcoat can say of a reference a model named: `verified` (a real record was found and its
 * title matches), `not_found` (its identifier leads nowhere, or to a different work), or
 * `unverifiable` (no identifier and no title match, or no source could be asked).
 */
export type ReferenceStatus = 'verified' | 'not_found' | 'unverifiable';

export interface CheckedReference {
  /** The reference as the model wrote it. */
  text: string;
  status: ReferenceStatus;
  /** How it was checked: the identifier used, or a title search. */
  via: 'doi' | 'arxiv' | 'pmid' | 'title' | null;
  /** The record it was checked against, when one was found. */
  record: Pick<LiteratureRecord, 'id' | 'source' | 'title' | 'year' | 'url' | 'ids'> | null;
}

/** The sources a check may ask: Crossref for DOIs, arXiv for arXiv ids, Europe PMC for PMIDs, a search for titles. */
export interface Resolvers {
  bySource: Partial<Record<SourceName, LiteratureSource>>;
  search?: (title: string) => Promise<LiteratureRecord[]>;
}

/** The identifiers and the title a free-text reference carries. */
export function parseReference(text: string): { ids: RecordIds; title: string | null } {
  const doi = normaliseDoi(/\b10\.\d{4,9}\/[^\s"<>]+/.exec(text)?.[0]?.replace(/[.,;)\]]+$/, ''));
  const arxiv = normaliseArxivId(/arxiv[:\s/]*(\d{4}\.\d{4,5}(v\d+)?)/i.exec(text)?.[1]);
  const pmid = /\bPMID:?\s*(\d{1,9})\b/i.exec(text)?.[1];
  const quoted = /["“]([^"”]{12,300})["”]/.exec(text)?.[1];
  const bare = text
    .replace(/\b(doi:?\s*|https?:\/\/\S+|10\.\d{4,9}\/\S+|arxiv[:\s/]*\S+|PMID:?\s*\d+)/gi, '')
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ') // (Nature, 2019), [12]: not part of the title
    .replace(/\s+/g, ' ')
    .trim();
  const title = quoted ?? (bare.length >= 12 ? bare : null);
  return { ids: { ...(doi ? { doi } : {}), ...(arxiv ? { arxiv } : {}), ...(pmid ? { pmid } : {}) }, title };
}

/** Two titles name the same work: most of their words are shared (punctuation, case and word order aside). */
export function titlesMatch(a: string, b: string): boolean {
  if (titleKey(a) === titleKey(b)) return true;
  const words = (t: string) =>
    new Set(
      t
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length > 2),
    );
  const x = words(a);
  const y = words(b);
  if (x.size === 0 || y.size === 0) return false;
  const shared = [...x].filter((w) => y.has(w)).length;
  return shared / Math.max(x.size, y.size) >= 0.8;
}

/**
 * The text next to an identifier names another work: at least three content words, and under a
 * third of them in the record's title. A short description ("Smith et al., Nature 2019") never
 * contradicts: the identifier is what was checked.
 */
export function titleContradicts(text: string, recordTitle: string): boolean {
  if (titlesMatch(text, recordTitle)) return false;
  const words = [...new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u))].filter((w) => w.length >= 4 && !/^\d+$/.test(w));
  if (words.length < 3) return false;
  const title = recordTitle.toLowerCase();
  return words.filter((w) => title.includes(w)).length / words.length < 1 / 3;
}

/** Checks one reference: by identifier first (DOI, arXiv id, PMID), else by title. Never throws. */
export async function verifyReference(text: string, resolvers: Resolvers): Promise<CheckedReference> {
  const { ids, title } = parseReference(text);
  const byId: Array<['doi' | 'arxiv' | 'pmid', SourceName, RecordIds]> = [];
  if (ids.doi) byId.push(['doi', 'crossref', { doi: ids.doi }]);
  if (ids.arxiv) byId.push(['arxiv', 'arxiv', { arxiv: ids.arxiv }]);
  if (ids.pmid) byId.push(['pmid', 'europepmc', { pmid: ids.pmid }]);
  for (const [via, name, lookupIds] of byId) {
    const source = resolvers.bySource[name];
    if (!source?.lookup) continue;
    const found = await source.lookup(lookupIds).then(
      (r) => ({ record: r }),
      () => undefined,
    );
    if (!found) continue; // the source failed: another identifier, or the title, may still tell
    if (!found.record) return checked(text, 'not_found', via, null);
    const other = title !== null && titleContradicts(title, found.record.title);
    return checked(text, other ? 'not_found' : 'verified', via, found.record);
  }
  if (title && resolvers.search) {
    const records = await resolvers.search(title).catch(() => undefined);
    const match = records?.find((r) => titlesMatch(title, r.title));
    if (match) return checked(text, 'verified', 'title', match);
  }
  return checked(text, 'unverifiable', title ? 'title' : null, null);
}

function checked(text: string, status: ReferenceStatus, via: CheckedReference['via'], record: LiteratureRecord | null): CheckedReference {
  return {
    text,
    status,
    via,
    record: record && { id: record.id, source: record.source, title: record.title, year: record.year, url: record.url, ids: record.ids },
  };
}
