/** A fake Crossref REST API (GET /works?query.bibliographic=…, GET /works/{doi}) serving works in Crossref's format. */
import { type Answer, type FakeLiterature, type FakeLiteratureSwitches, fakeLiteratureServer, json, matches } from './common.js';

/** A work as Crossref's REST API serves it in `message` (the fields an adapter reads, and some it leaves). */
export interface CrossrefWork {
  DOI: string;
  URL: string;
  title?: string[];
  /** A person (given, family) or an organisation (name). */
  author?: { given?: string; family?: string; name?: string; sequence: string; affiliation: unknown[]; [field: string]: unknown }[];
  issued: { 'date-parts': (number | null)[][] };
  'container-title': string[];
  abstract?: string;
  [field: string]: unknown;
}

const dated = (y: number, m: number, d: number) => ({
  'date-parts': [[y, m, d]],
  'date-time': `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T00:00:00Z`,
  timestamp: Date.UTC(y, m - 1, d),
});

/** The works the fake serves. */
export const crossrefCorpus: CrossrefWork[] = [
  {
    indexed: dated(2025, 3, 1),
    'reference-count': 52,
    publisher: 'PeerJ',
    license: [{ start: dated(2018, 2, 13), 'content-version': 'unspecified', 'delay-in-days': 0, URL: 'http://creativecommons.org/licenses/by/4.0/' }],
    'content-domain': { domain: ['peerj.com'], 'crossmark-restriction': false },
    'short-container-title': ['PeerJ'],
    abstract:
      '<jats:title>Abstract</jats:title><jats:p>Despite growing interest in Open Access (OA) to scholarly literature, there is an unmet need for large-scale, up-to-date, and reproducible studies assessing the prevalence and characteristics of OA. We address this need using <jats:italic>oaDOI</jats:italic>, an open online service &amp; database.</jats:p>',
    DOI: '10.7717/peerj.4375',
    type: 'journal-article',
    created: dated(2018, 2, 13),
    page: 'e4375',
    source: 'Crossref',
    'is-referenced-by-count': 1000,
    title: ['The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles'],
    prefix: '10.7717',
    volume: '6',
    author: [
      { given: 'Heather', family: 'Piwowar', sequence: 'first', affiliation: [{ name: 'Impactstory' }] },
      { ORCID: 'http://orcid.org/0000-0001-6187-6610', 'authenticated-orcid': false, given: 'Jason', family: 'Priem', sequence: 'additional', affiliation: [] },
      { given: 'Vincent', family: 'Larivière', sequence: 'additional', affiliation: [] },
      { name: 'The OA Study Consortium', sequence: 'additional', affiliation: [] },
    ],
    member: '4443',
    'published-online': { 'date-parts': [[2018, 2, 13]] },
    'container-title': ['PeerJ'],
    language: 'en',
    deposited: dated(2022, 1, 1),
    score: 1,
    issued: { 'date-parts': [[2018, 2, 13]] },
    URL: 'https://doi.org/10.7717/peerj.4375',
    ISSN: ['2167-8359'],
    'issn-type': [{ value: '2167-8359', type: 'electronic' }],
    published: { 'date-parts': [[2018, 2, 13]] },
  },
  {
    publisher: 'Wiley',
    DOI: '10.1002/(SICI)1097-4636(199706)35:4<431::AID-JBM4>3.0.CO;2-D',
    type: 'journal-article',
    title: ['Protein adsorption on <i>biomaterial</i> surfaces'],
    author: [
      { given: 'A.', family: 'Smith', sequence: 'first', affiliation: [] },
      { family: 'Jones', sequence: 'additional', affiliation: [] },
    ],
    'container-title': ['Journal of Biomedical Materials Research'],
    issued: { 'date-parts': [[1997, 6]] },
    URL: 'https://doi.org/10.1002/(sici)1097-4636(199706)35:4<431::aid-jbm4>3.0.co;2-d',
    score: 0.9,
  },
  // Crossref knows this one without a title (a component DOI): adapters skip it.
  { DOI: '10.5555/no-title', type: 'component', 'container-title': [], issued: { 'date-parts': [[null]] }, URL: 'https://doi.org/10.5555/no-title' },
];

function served(work: CrossrefWork, noAbstracts: boolean): CrossrefWork {
  if (!noAbstracts) return work;
  const { abstract: _dropped, ...rest } = work;
  return rest as CrossrefWork;
}

function route(url: URL, switches: FakeLiteratureSwitches): Answer {
  const notFound: Answer = { status: 404, contentType: 'text/plain', body: 'Resource not found.' };
  if (url.pathname === '/works') {
    const query = url.searchParams.get('query.bibliographic') ?? '';
    const rows = Number(url.searchParams.get('rows') ?? '20');
    const found = switches.mode === 'empty' ? [] : crossrefCorpus.filter((w) => matches(query, (w.title ?? []).join(' ')));
    return json(200, {
      status: 'ok',
      'message-type': 'work-list',
      'message-version': '1.0.0',
      message: {
        facets: {},
        'total-results': found.length,
        items: found.slice(0, rows).map((w) => served(w, switches.noAbstracts)),
        'items-per-page': rows,
        query: { 'start-index': 0, 'search-terms': query },
      },
    });
  }
  if (!url.pathname.startsWith('/works/') || switches.mode === 'empty') return notFound;
  const doi = decodeURIComponent(url.pathname.slice('/works/'.length)).toLowerCase();
  const work = crossrefCorpus.find((w) => w.DOI.toLowerCase() === doi);
  return work ? json(200, { status: 'ok', 'message-type': 'work', 'message-version': '1.0.0', message: served(work, switches.noAbstracts) }) : notFound;
}

export type FakeCrossref = FakeLiterature<typeof crossrefCorpus>;

/** A fake Crossref on 127.0.0.1; `switches` changes how it answers from the next request on. */
export function fakeCrossref(): Promise<FakeCrossref> {
  return fakeLiteratureServer(crossrefCorpus, route, { status: 'ok', 'message-type': 'work-list', message: { items: 'not a list' } });
}
