import { z } from 'zod';
import { LiteratureError } from '../errors.js';
import type { PoliteGet } from '../polite-get.js';
import { type LiteratureRecord, type LiteratureSource, normaliseDoi, plainText, type RecordIds, recordId } from '../record.js';

/**
 * Europe PMC's REST search (https://www.ebi.ac.uk/europepmc/webservices/rest): GET /search with
 * resultType=core and format=json answers `{ hitCount, resultList: { result: [...] } }`, one object
 * per article with title, authorList, pubYear, journalInfo, doi, pmid, pmcid and abstractText (HTML).
 */

export interface EuropePmcOptions {
  get: PoliteGet;
  /** e.g. 'https://www.ebi.ac.uk/europepmc/webservices/rest' */
  baseUrl: string;
  /** Europe PMC asks heavy users for a contact address. */
  email?: string;
}

/** The API takes up to 1000 results a page. */
const MAX_PAGE = 1000;
const MAX_AUTHORS = 20;

/** A string field read leniently: numbers become strings, anything else is absent. */
const text = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .optional()
  .catch(undefined);

const authorSchema = z.object({ fullName: text, collectiveName: text });

const resultSchema = z.object({
  title: text,
  authorString: text,
  authorList: z
    .object({ author: z.array(z.unknown()).optional().catch(undefined) })
    .optional()
    .catch(undefined),
  pubYear: text,
  journalTitle: text,
  journalInfo: z
    .object({ journal: z.object({ title: text }).optional().catch(undefined) })
    .optional()
    .catch(undefined),
  doi: text,
  pmid: text,
  pmcid: text,
  abstractText: text,
});

/** The envelope must be there: a body without resultList.result is not a search answer. */
const answerSchema = z.object({ resultList: z.object({ result: z.array(z.unknown()) }) });

/** Tags after which a reader expects a break (headings, paragraphs, list items): they become a space. */
const BLOCK_TAGS = /<\/?(?:h[1-6]|p|br|div|li|ul|ol|section|sec|title|abstract|abstracttext|table|tr|td|th)\b[^>]*>/gi;
const ANY_TAG = /<\/?[a-z][^>]*>/gi;
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Europe PMC abstracts are HTML fragments (<h4>Background</h4>…, <sup>, <i>): plain text, whitespace collapsed. */
export function htmlToPlainText(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const stripped = raw.replace(BLOCK_TAGS, ' ').replace(ANY_TAG, '');
  // Entities last, so an escaped '&lt;' becomes text and never a tag.
  const decoded = stripped.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
  return plainText(decoded);
}

function authorsOf(r: z.infer<typeof resultSchema>): string[] {
  const listed = (r.authorList?.author ?? [])
    .map((a) => authorSchema.safeParse(a))
    .map((p) => (p.success ? plainText(p.data.fullName ?? p.data.collectiveName) : null))
    .filter((name): name is string => name !== null);
  if (listed.length > 0) return listed.slice(0, MAX_AUTHORS);
  // authorString: 'Smith J, Doe A, Roe R.'
  return (r.authorString ?? '')
    .replace(/\.\s*$/, '')
    .split(',')
    .map((name) => plainText(name))
    .filter((name): name is string => name !== null)
    .slice(0, MAX_AUTHORS);
}

function yearOf(raw: string | undefined): number | null {
  const year = Number(raw?.trim());
  return Number.isInteger(year) && year >= 1000 && year <= 9999 ? year : null;
}

/** One Europe PMC result as a Labcoat record; null when it has no title or no identifier to name it by. */
function toRecord(raw: unknown): LiteratureRecord | null {
  const parsed = resultSchema.safeParse(raw);
  if (!parsed.success) return null;
  const r = parsed.data;
  const title = htmlToPlainText(r.title);
  if (!title) return null;
  const ids: RecordIds = {};
  const doi = normaliseDoi(r.doi);
  if (doi) ids.doi = doi;
  const pmid = r.pmid?.trim();
  if (pmid && /^\d+$/.test(pmid)) ids.pmid = pmid;
  const pmcid = r.pmcid?.trim().toUpperCase();
  if (pmcid && /^PMC\d+$/.test(pmcid)) ids.pmcid = pmcid;
  const id = recordId(ids);
  if (!id) return null;
  return {
    id,
    source: 'europepmc',
    title,
    authors: authorsOf(r),
    year: yearOf(r.pubYear),
    venue: plainText(r.journalInfo?.journal?.title ?? r.journalTitle),
    ids,
    url: ids.pmid
      ? `https://europepmc.org/article/MED/${ids.pmid}`
      : ids.doi
        ? `https://doi.org/${ids.doi}`
        : ids.pmcid
          ? `https://europepmc.org/article/PMC/${ids.pmcid}`
          : null,
    abstract: htmlToPlainText(r.abstractText),
  };
}

export function europePmcSource(opts: EuropePmcOptions): LiteratureSource {
  const base = opts.baseUrl.replace(/\/+$/, '');

  async function query(q: string, limit: number, signal?: AbortSignal): Promise<LiteratureRecord[]> {
    const pageSize = Math.max(1, Math.min(MAX_PAGE, Math.floor(limit) || 1));
    let url = `${base}/search?query=${encodeURIComponent(q)}&resultType=core&format=json&pageSize=${pageSize}`;
    if (opts.email) url += `&email=${encodeURIComponent(opts.email)}`;
    const res = await opts.get(url, { accept: 'application/json', ...(signal ? { signal } : {}) });
    if (res.status !== 200) throw new LiteratureError('europepmc', 'unavailable', `Europe PMC answered HTTP ${res.status}`);
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      throw new LiteratureError('europepmc', 'malformed', `Europe PMC answered a body that is not JSON (${res.contentType || 'no content type'})`);
    }
    const answer = answerSchema.safeParse(body);
    if (!answer.success) throw new LiteratureError('europepmc', 'malformed', 'Europe PMC answered JSON without resultList.result');
    return answer.data.resultList.result
      .map(toRecord)
      .filter((r): r is LiteratureRecord => r !== null)
      .slice(0, pageSize);
  }

  return {
    name: 'europepmc',
    search: (req) => query(req.query, req.limit, req.signal),
    async lookup(ids, signal) {
      const pmid = ids.pmid?.trim();
      if (pmid && /^\d+$/.test(pmid)) {
        const found = await query(`EXT_ID:${pmid} AND SRC:MED`, 1, signal);
        return found.find((r) => r.ids.pmid === pmid) ?? null;
      }
      const doi = normaliseDoi(ids.doi);
      // A DOI with a double quote cannot be put in a phrase query; none is valid in practice.
      if (doi && !doi.includes('"')) {
        const found = await query(`DOI:"${doi}"`, 1, signal);
        return found.find((r) => r.ids.doi === doi) ?? null;
      }
      return null;
    },
  };
}
