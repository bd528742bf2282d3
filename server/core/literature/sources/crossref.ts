/** Crossref (api.crossref.org): DOI lookup and bibliographic search. */
import { z } from 'zod';
import type { PoliteGet } from '../polite-get.js';
import { type LiteratureRecord, type LiteratureSource, normaliseDoi, plainText, type RecordIds, recordId } from '../record.js';
import { pageSize, readItems, readJson, unexpectedStatus, queryWithMailto } from './response.js';

const SOURCE = 'crossref';
const MAX_AUTHORS = 20;
/** Crossref's largest page. */
const MAX_ROWS = 1000;

const strings = z.array(z.unknown()).transform((xs) => xs.filter((x): x is string => typeof x === 'string'));
const dateParts = z
  .object({ 'date-parts': z.array(z.array(z.number().nullish()).catch([])).nullish() })
  .nullish()
  .catch(null);

const item = z.object({
  DOI: z.string().nullish(),
  URL: z.string().nullish(),
  title: strings.nullish().catch(null),
  author: z
    .array(z.object({ given: z.string().nullish(), family: z.string().nullish(), name: z.string().nullish() }).catch({}))
    .nullish()
    .catch(null),
  issued: dateParts,
  published: dateParts,
  'container-title': strings.nullish().catch(null),
  abstract: z.string().nullish().catch(null),
});
type Item = z.output<typeof item>;

const workMessage = z.object({ message: item });
const listMessage = z.object({ message: z.object({ items: z.array(z.unknown()) }) });

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** JATS (or HTML) markup to plain text: a leading "Abstract" heading dropped, tags removed, entities decoded. */
export function jatsToText(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const text = raw
    .replace(/^\s*<(jats:)?title>\s*abstract\s*<\/(jats:)?title>/i, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+([.,;:!?)])/g, '$1');
  return plainText(decodeEntities(text));
}

function yearOf(...dates: Item['issued'][]): number | null {
  for (const date of dates) {
    const year = date?.['date-parts']?.[0]?.[0];
    if (typeof year === 'number' && Number.isInteger(year)) return year;
  }
  return null;
}

function toRecord(it: Item): LiteratureRecord | null {
  const title = jatsToText(it.title?.[0]);
  const doi = normaliseDoi(it.DOI);
  if (!title || !doi) return null;
  const ids: RecordIds = { doi };
  const authors = (it.author ?? [])
    .map((a) => plainText(a.name ?? [a.given, a.family].filter(Boolean).join(' ')))
    .filter((name): name is string => name !== null)
    .slice(0, MAX_AUTHORS);
  return {
    id: recordId(ids)!,
    source: SOURCE,
    title,
    authors,
    year: yearOf(it.issued, it.published),
    venue: jatsToText(it['container-title']?.[0]),
    ids,
    url: plainText(it.URL) ?? `https://doi.org/${doi}`,
    abstract: jatsToText(it.abstract),
  };
}

export function crossrefSource(opts: { get: PoliteGet; baseUrl: string; mailto?: string }): LiteratureSource {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const accept = 'application/json';
  const withMailto = (params: URLSearchParams) => queryWithMailto(params, opts.mailto);

  return {
    name: SOURCE,

    async search(req) {
      const params = new URLSearchParams({ 'query.bibliographic': req.query, rows: String(pageSize(req.limit, MAX_ROWS)) });
      const res = await opts.get(`${base}/works${withMailto(params)}`, { accept, ...(req.signal ? { signal: req.signal } : {}) });
      if (res.status !== 200) throw unexpectedStatus(SOURCE, res);
      const body = readJson(SOURCE, res, listMessage);
      return readItems(body.message.items, item)
        .map(toRecord)
        .filter((r): r is LiteratureRecord => r !== null)
        .slice(0, Math.max(0, req.limit));
    },

    async lookup(ids, signal) {
      const doi = normaliseDoi(ids.doi);
      if (!doi) return null;
      // The whole DOI is one path segment: its slash, ';', '#', '?', '<'… all escaped, as Crossref asks.
      const res = await opts.get(`${base}/works/${encodeURIComponent(doi)}${withMailto(new URLSearchParams())}`, { accept, ...(signal ? { signal } : {}) });
      if (res.status === 404) return null;
      if (res.status !== 200) throw unexpectedStatus(SOURCE, res);
      return toRecord(readJson(SOURCE, res, workMessage).message);
    },
  };
}
