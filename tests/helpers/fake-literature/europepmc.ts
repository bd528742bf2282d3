import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from '../listen.js';

/**
 * A fake Europe PMC REST API on 127.0.0.1: GET /search?query=…&resultType=core&format=json&pageSize=…
 * answers in the real envelope ({ version, hitCount, nextCursorMark, request, resultList: { result } })
 * from the small corpus below. It understands the queries the adapter sends: `EXT_ID:<pmid> AND SRC:MED`,
 * `DOI:"<doi>"`, and free text (every word in the title or abstract, case-insensitive).
 */

/** One article as Europe PMC's resultType=core JSON gives it (the fields the adapter reads, and some it ignores). */
export interface EuropePmcArticle {
  id: string;
  source: string;
  pmid?: string;
  pmcid?: string;
  doi?: string;
  title?: string;
  authorString?: string;
  authorList?: { author: Array<{ fullName?: string; firstName?: string; lastName?: string; initials?: string; collectiveName?: string }> };
  journalTitle?: string;
  journalInfo?: { volume?: string; issue?: string; yearOfPublication?: number; journal: { title: string; medlineAbbreviation?: string; issn?: string } };
  pubYear?: string;
  abstractText?: string;
  pubTypeList?: { pubType: string[] };
  isOpenAccess?: string;
  citedByCount?: number;
}

export const EUROPEPMC_CORPUS: EuropePmcArticle[] = [
  {
    id: '31452104',
    source: 'MED',
    pmid: '31452104',
    pmcid: 'PMC6711234',
    doi: '10.1038/S41586-019-1506-7',
    title: 'CRISPR screens identify <i>malaria</i> resistance genes in human erythrocytes',
    authorString: 'Okafor AN, Lindqvist M, Patel R.',
    authorList: {
      author: [
        { fullName: 'Okafor AN', firstName: 'Amara N', lastName: 'Okafor', initials: 'AN' },
        { fullName: 'Lindqvist M', firstName: 'Maja', lastName: 'Lindqvist', initials: 'M' },
        { fullName: 'Patel R', firstName: 'Ravi', lastName: 'Patel', initials: 'R' },
      ],
    },
    journalTitle: 'Nature',
    journalInfo: { volume: '573', issue: '7772', yearOfPublication: 2019, journal: { title: 'Nature', medlineAbbreviation: 'Nature', issn: '0028-0836' } },
    pubYear: '2019',
    abstractText:
      '<h4>Background</h4>Malaria parasites invade red blood cells.<h4>Results</h4>Genome-wide screens found <i>CD55</i> and <sup>2</sup>H&amp;E staining &lt;confirmed&gt; the hits.',
    pubTypeList: { pubType: ['research-article', 'Journal Article'] },
    isOpenAccess: 'Y',
    citedByCount: 42,
  },
  {
    id: '28765432',
    source: 'MED',
    pmid: '28765432',
    doi: '10.1016/j.cell.2017.06.001',
    title: 'Malaria vaccine trial in children: a randomised study',
    authorString: 'Mensah K, WHO Malaria Group.',
    authorList: { author: [{ fullName: 'Mensah K', lastName: 'Mensah', initials: 'K' }, { collectiveName: 'WHO Malaria Group' }] },
    journalTitle: 'Cell',
    journalInfo: { journal: { title: 'Cell' } },
    pubYear: '2017',
    isOpenAccess: 'N',
  },
  {
    id: 'PPR123456',
    source: 'PPR',
    doi: '10.1101/2020.03.01.123456',
    title: 'Preprint: malaria transmission models',
    authorString: 'Garcia L, Chen W.',
    journalTitle: 'bioRxiv',
    pubYear: '2020',
    abstractText: 'We model transmission.',
  },
  {
    id: '99999999',
    source: 'MED',
    pmid: '99999999',
    authorString: 'Nobody N.',
    pubYear: '2001',
    abstractText: 'A record without a title: the adapter skips it (malaria).',
  },
];

export type EuropePmcMode =
  | 'normal'
  | 'empty'
  /** A 200 whose body is cut-off JSON. */
  | 'malformed'
  /** JSON of the wrong shape: no resultList. */
  | 'wrong-shape'
  /** A proxy's HTML error page, status 503. */
  | 'html'
  /** An HTML page with status 200 (a wrong base URL). */
  | 'html-200'
  /** Every article without abstractText. */
  | 'no-abstracts';

export interface FakeEuropePmc {
  url: string;
  /** Paths with their query string, as received (still URL-encoded). */
  requests: string[];
  mode: EuropePmcMode;
  close(): Promise<void>;
}

function matches(article: EuropePmcArticle, query: string): boolean {
  const pmid = /^EXT_ID:(\S+) AND SRC:MED$/.exec(query);
  if (pmid) return article.source === 'MED' && article.pmid === pmid[1];
  const doi = /^DOI:"(.+)"$/.exec(query);
  if (doi) return article.doi?.toLowerCase() === doi[1]!.toLowerCase();
  const haystack = `${article.title ?? ''} ${article.abstractText ?? ''}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

export async function startFakeEuropePmc(opts: { mode?: EuropePmcMode; corpus?: EuropePmcArticle[] } = {}): Promise<FakeEuropePmc> {
  const corpus = opts.corpus ?? EUROPEPMC_CORPUS;
  const requests: string[] = [];
  const state = { mode: opts.mode ?? ('normal' as EuropePmcMode) };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://fake');
    const html = '<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>';
    if (state.mode === 'html' || state.mode === 'html-200') {
      res.writeHead(state.mode === 'html' ? 503 : 200, { 'content-type': 'text/html' }).end(html);
      return;
    }
    if (url.pathname !== '/search') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errCode":404,"errMsg":"Not found"}');
      return;
    }
    const query = url.searchParams.get('query') ?? '';
    const pageSize = Number(url.searchParams.get('pageSize') ?? '25');
    if (state.mode === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end('{"version":"6.9","hitCount":3,"resultList":{"result":[{"id":"1",');
      return;
    }
    if (state.mode === 'wrong-shape') {
      res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end('{"version":"6.9","errors":["bad query"]}');
      return;
    }
    let hits = state.mode === 'empty' ? [] : corpus.filter((a) => matches(a, query));
    if (state.mode === 'no-abstracts') hits = hits.map(({ abstractText: _drop, ...rest }) => rest);
    const body = {
      version: '6.9',
      hitCount: hits.length,
      nextCursorMark: 'AoIIQMeXZCg0MTc4NjQ3Ng==',
      request: {
        queryString: query,
        resultType: url.searchParams.get('resultType') ?? 'lite',
        cursorMark: '*',
        pageSize,
        sort: '',
        synonym: false,
      },
      resultList: { result: hits.slice(0, pageSize) },
    };
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify(body));
  };
  const server = await listen(handler);
  return {
    url: server.url,
    requests,
    get mode() {
      return state.mode;
    },
    set mode(m: EuropePmcMode) {
      state.mode = m;
    },
    close: () => server.close(),
  };
}
