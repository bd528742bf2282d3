/** OpenAlex (api.openalex.org): works search and lookup by DOI, PMID or OpenAlex id. */
import { z } from 'zod';
import type { PoliteGet } from '../polite-get.js';
import { type LiteratureRecord, type LiteratureSource, normaliseDoi, plainText, type RecordIds, recordId } from '../record.js';
import { pageSize, readItems, readJson, unexpectedStatus, queryWithMailto } from './response.js';

const SOURCE = 'openalex';
const MAX_AUTHORS = 20;
/** OpenAlex's largest page. */
const MAX_PER_PAGE = 200;

const work = z.object({
  id: z.string(),
  doi: z.string().nullish(),
  title: z.string().nullish(),
  display_name: z.string().nullish(),
  publication_year: z.number().int().nullish().catch(null),
  ids: z.object({ pmid: z.string().nullish(), pmcid: z.string().nullish() }).nullish().catch(null),
  primary_location: z
    .object({ source: z.object({ display_name: z.string().nullish() }).nullish() })
    .nullish()
    .catch(null),
  authorships: z
    .array(z.object({ author: z.object({ display_name: z.string().nullish() }).nullish() }).catch({ author: null }))
    .nullish()
    .catch(null),
  abstract_inverted_index: z.record(z.string(), z.array(z.number().int().nonnegative())).nullish().catch(null),
});
type Work = z.output<typeof work>;

const worksPage = z.object({ results: z.array(z.unknown()) });

/** The abstract from OpenAlex's inverted index (word → positions), words put back in position order. */
export function rebuildAbstract(index: Record<string, number[]> | null | undefined): string | null {
  if (!index) return null;
  const words: string[] = [];
  for (const [word, positions] of Object.entries(index)) for (const at of positions) words[at] = word;
  return plainText(words.filter((w) => w !== undefined).join(' '));
}

function lastSegment(raw: string | null | undefined, prefix: RegExp): string | undefined {
  if (!raw) return undefined;
  const rest = raw.trim().replace(prefix, '');
  return rest === '' ? undefined : rest;
}

function toRecord(w: Work): LiteratureRecord | null {
  const title = plainText(w.display_name ?? w.title);
  const openalex = lastSegment(w.id, /^https?:\/\/openalex\.org\//i);
  if (!title || !openalex || !/^W\d+$/i.test(openalex)) return null;
  const ids: RecordIds = { openalex: openalex.toUpperCase() };
  const doi = normaliseDoi(w.doi);
  if (doi) ids.doi = doi;
  const pmid = lastSegment(w.ids?.pmid, /^https?:\/\/pubmed\.ncbi\.nlm\.nih\.gov\//i)?.replace(/\/$/, '');
  if (pmid && /^\d+$/.test(pmid)) ids.pmid = pmid;
  const pmc = lastSegment(w.ids?.pmcid, /^https?:\/\/www\.ncbi\.nlm\.nih\.gov\/pmc\/articles\//i)?.replace(/\/$/, '');
  if (pmc && /^(PMC)?\d+$/i.test(pmc)) ids.pmcid = pmc.toUpperCase().startsWith('PMC') ? pmc.toUpperCase() : `PMC${pmc}`;
  const authors = (w.authorships ?? [])
    .map((a) => plainText(a.author?.display_name))
    .filter((name): name is string => name !== null)
    .slice(0, MAX_AUTHORS);
  return {
    id: recordId(ids)!,
    source: SOURCE,
    title,
    authors,
    year: w.publication_year ?? null,
    venue: plainText(w.primary_location?.source?.display_name),
    ids,
    url: doi ? `https://doi.org/${doi}` : `https://openalex.org/${ids.openalex}`,
    abstract: rebuildAbstract(w.abstract_inverted_index),
  };
}

/** The path segment OpenAlex resolves for these ids (DOI first), or undefined when it has none of them. */
function lookupKey(ids: RecordIds): string | undefined {
  const doi = normaliseDoi(ids.doi);
  // A DOI keeps its slash (OpenAlex reads doi:10.x/y); everything else in it is escaped.
  if (doi) return `doi:${encodeURIComponent(doi).replace(/%2F/gi, '/')}`;
  if (ids.openalex && /^W\d+$/i.test(ids.openalex)) return ids.openalex.toUpperCase();
  if (ids.pmid && /^\d+$/.test(ids.pmid)) return `pmid:${ids.pmid}`;
  return undefined;
}

export function openAlexSource(opts: { get: PoliteGet; baseUrl: string; mailto?: string }): LiteratureSource {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const accept = 'application/json';
  const withMailto = (params: URLSearchParams) => queryWithMailto(params, opts.mailto);

  return {
    name: SOURCE,

    async search(req) {
      const params = new URLSearchParams({ search: req.query, 'per-page': String(pageSize(req.limit, MAX_PER_PAGE)) });
      const res = await opts.get(`${base}/works${withMailto(params)}`, { accept, ...(req.signal ? { signal: req.signal } : {}) });
      if (res.status !== 200) throw unexpectedStatus(SOURCE, res);
      const page = readJson(SOURCE, res, worksPage);
      return readItems(page.results, work)
        .map(toRecord)
        .filter((r): r is LiteratureRecord => r !== null)
        .slice(0, Math.max(0, req.limit));
    },

    async lookup(ids, signal) {
      const key = lookupKey(ids);
      if (!key) return null;
      const res = await opts.get(`${base}/works/${key}${withMailto(new URLSearchParams())}`, { accept, ...(signal ? { signal } : {}) });
      if (res.status === 404) return null;
      if (res.status !== 200) throw unexpectedStatus(SOURCE, res);
      return toRecord(readJson(SOURCE, res, work));
    },
  };
}
