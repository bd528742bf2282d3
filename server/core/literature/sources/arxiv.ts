import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { LiteratureError } from '../errors.js';
import type { PoliteGet } from '../polite-get.js';
import { type LiteratureRecord, type LiteratureSource, normaliseArxivId, normaliseDoi, plainText, type RecordIds, recordId } from '../record.js';

/**
 * arXiv's query API (https://info.arxiv.org/help/api/user-manual.html): GET /query answers an Atom
 * feed, one <entry> per e-print (id = the abs URL with version, title, summary, published, author/name,
 * arxiv:doi, arxiv:journal_ref). A failed query is still HTTP 200: a feed whose one entry is titled "Error".
 */

export interface ArxivOptions {
  get: PoliteGet;
  /** e.g. 'https://export.arxiv.org/api' */
  baseUrl: string;
}

/** The API gives at most 2000 results per call. */
const MAX_RESULTS = 2000;
const MAX_AUTHORS = 20;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Keep every value a string: a title like '1984' or an id like '2301.01230' must not become a number.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

/** An element's text: the parser gives a string, or an object with '#text' when the element has attributes. */
const text = z
  .union([
    z.string(),
    z.object({ '#text': z.union([z.string(), z.number()]).optional() }).transform((o) => (o['#text'] === undefined ? undefined : String(o['#text']))),
  ])
  .optional()
  .catch(undefined);

/** One element or several: the parser gives an object for one, an array for more. */
function many(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

const entrySchema = z.object({
  id: text,
  title: text,
  summary: text,
  published: text,
  author: z.unknown().optional(),
  'arxiv:doi': text,
  'arxiv:journal_ref': text,
});

const authorSchema = z.object({ name: text });

/** The document must be an Atom feed; the feed may have no entry (an empty result). */
const documentSchema = z.object({ feed: z.union([z.object({ entry: z.unknown().optional() }), z.literal('')]) });

function toRecord(entry: z.infer<typeof entrySchema>): LiteratureRecord | null {
  const title = plainText(entry.title);
  const arxiv = normaliseArxivId(entry.id);
  if (!title || !arxiv) return null;
  const ids: RecordIds = { arxiv };
  const doi = normaliseDoi(entry['arxiv:doi']);
  if (doi) ids.doi = doi;
  const year = Number(entry.published?.trim().slice(0, 4));
  const authors = many(entry.author)
    .map((a) => authorSchema.safeParse(a))
    .map((p) => (p.success ? plainText(p.data.name) : null))
    .filter((name): name is string => name !== null)
    .slice(0, MAX_AUTHORS);
  return {
    id: recordId(ids) ?? `arxiv:${arxiv}`,
    source: 'arxiv',
    title,
    authors,
    year: Number.isInteger(year) && year >= 1000 ? year : null,
    venue: plainText(entry['arxiv:journal_ref']) ?? 'arXiv',
    ids,
    url: `https://arxiv.org/abs/${arxiv}`,
    abstract: plainText(entry.summary),
  };
}

/** The records of an Atom answer; throws 'malformed' for what is not a feed and for arXiv's error entry. */
export function parseArxivFeed(xml: string): LiteratureRecord[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new LiteratureError('arxiv', 'malformed', `arXiv answered a body that is not XML: ${valid.err.msg}`);
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (err) {
    throw new LiteratureError('arxiv', 'malformed', `arXiv answered XML the parser refused: ${(err as Error).message}`);
  }
  const parsed = documentSchema.safeParse(doc);
  if (!parsed.success) throw new LiteratureError('arxiv', 'malformed', 'arXiv answered XML that is not an Atom feed');
  const feed = parsed.data.feed;
  const entries = many(feed === '' ? undefined : feed.entry).map((e) => entrySchema.safeParse(e));
  const records: LiteratureRecord[] = [];
  for (const e of entries) {
    if (!e.success) continue;
    // arXiv's error entry: titled "Error", its id an api/errors URL rather than an e-print's.
    if (plainText(e.data.title) === 'Error' && !normaliseArxivId(e.data.id)) {
      throw new LiteratureError('arxiv', 'malformed', `arXiv reported an error: ${plainText(e.data.summary) ?? 'no detail'}`);
    }
    const record = toRecord(e.data);
    if (record) records.push(record);
  }
  return records;
}

export function arxivSource(opts: ArxivOptions): LiteratureSource {
  const base = opts.baseUrl.replace(/\/+$/, '');

  async function fetchFeed(url: string, signal?: AbortSignal): Promise<LiteratureRecord[]> {
    const res = await opts.get(url, { accept: 'application/atom+xml', ...(signal ? { signal } : {}) });
    if (res.status !== 200) throw new LiteratureError('arxiv', 'unavailable', `arXiv answered HTTP ${res.status}`);
    return parseArxivFeed(res.text);
  }

  return {
    name: 'arxiv',
    async search(req) {
      const max = Math.max(1, Math.min(MAX_RESULTS, Math.floor(req.limit) || 1));
      const records = await fetchFeed(`${base}/query?search_query=${encodeURIComponent(`all:${req.query}`)}&start=0&max_results=${max}`, req.signal);
      return records.slice(0, max);
    },
    async lookup(ids, signal) {
      const id = normaliseArxivId(ids.arxiv);
      if (!id) return null;
      const records = await fetchFeed(`${base}/query?id_list=${encodeURIComponent(id)}`, signal);
      return records.find((r) => r.ids.arxiv === id) ?? null;
    },
  };
}
