/** A fake OpenAlex API (GET /works?search=…, GET /works/doi:…|W…|pmid:…) serving works in OpenAlex's format. */
import { type Answer, type FakeLiterature, fakeLiteratureServer, json, matches } from './common.js';

/** An abstract as OpenAlex ships it: each word → the positions it takes. */
export function invertedIndex(text: string): Record<string, number[]> {
  const index: Record<string, number[]> = {};
  text.split(/\s+/).forEach((word, at) => {
    (index[word] ??= []).push(at);
  });
  return index;
}

const authorship = (name: string, position: 'first' | 'middle' | 'last', n: number) => ({
  author_position: position,
  author: { id: `https://openalex.org/A50${String(n).padStart(8, '0')}`, display_name: name, orcid: null },
  institutions: [],
  countries: [],
  is_corresponding: position === 'first',
  raw_author_name: name,
  raw_affiliation_strings: [],
});

const source = (id: string, name: string, issn: string | null) => ({
  id: `https://openalex.org/${id}`,
  display_name: name,
  issn_l: issn,
  issn: issn ? [issn] : null,
  is_oa: true,
  is_in_doaj: false,
  host_organization: null,
  type: 'journal',
});

export const OPENALEX_ABSTRACTS = {
  oa: 'Open access articles are read and cited more often than closed ones, and the share of open access keeps growing: we measure how much of the literature readers can reach for free, and how its citations compare.',
  crispr: 'We report off-target effects of CRISPR & Cas9 editing in human cells; off-target cuts were rare, and rarer still with the high-fidelity variant.',
};

/** A work as OpenAlex serves it: the fields an adapter reads, and others it leaves. */
export interface OpenAlexWork {
  id: string;
  doi: string | null;
  title: string | null;
  display_name: string | null;
  publication_year: number | null;
  ids: { openalex: string; doi?: string; mag?: number; pmid?: string; pmcid?: string };
  primary_location: { source?: { display_name: string } | null; [field: string]: unknown } | null;
  authorships: { author: { display_name: string }; [field: string]: unknown }[];
  abstract_inverted_index: Record<string, number[]> | null;
  [field: string]: unknown;
}

/** The works the fake serves, in OpenAlex's format. */
export const openAlexCorpus: OpenAlexWork[] = [
  {
    id: 'https://openalex.org/W2741809807',
    doi: 'https://doi.org/10.7717/PEERJ.4375',
    title: 'The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles',
    display_name: 'The state of OA: a large-scale analysis of the prevalence and impact of Open Access articles',
    publication_year: 2018,
    publication_date: '2018-02-13',
    ids: {
      openalex: 'https://openalex.org/W2741809807',
      doi: 'https://doi.org/10.7717/peerj.4375',
      mag: 2741809807,
      pmid: 'https://pubmed.ncbi.nlm.nih.gov/29456894',
      pmcid: 'https://www.ncbi.nlm.nih.gov/pmc/articles/5815332',
    },
    language: 'en',
    primary_location: {
      is_oa: true,
      landing_page_url: 'https://doi.org/10.7717/peerj.4375',
      pdf_url: 'https://peerj.com/articles/4375.pdf',
      source: source('S1983995261', 'PeerJ', '2167-8359'),
      license: 'cc-by',
      version: 'publishedVersion',
    },
    type: 'article',
    open_access: { is_oa: true, oa_status: 'gold', oa_url: 'https://peerj.com/articles/4375.pdf', any_repository_has_fulltext: true },
    authorships: [
      authorship('Heather Piwowar', 'first', 1),
      authorship('Jason Priem', 'middle', 2),
      authorship('Vincent Larivière', 'middle', 3),
      authorship('Juan Pablo Alperin', 'middle', 4),
      authorship('Lisa Matthias', 'middle', 5),
      authorship('Bree Norlander', 'middle', 6),
      authorship('Ashley Farley', 'middle', 7),
      authorship('Jevin D. West', 'middle', 8),
      authorship('Stefanie Haustein', 'last', 9),
    ],
    cited_by_count: 1200,
    abstract_inverted_index: invertedIndex(OPENALEX_ABSTRACTS.oa),
    updated_date: '2025-01-01T00:00:00.000000',
    created_date: '2017-08-08',
  },
  {
    id: 'https://openalex.org/W3100000001',
    doi: null,
    title: 'Off-target effects of CRISPR & Cas9 editing: a survey',
    display_name: 'Off-target effects of CRISPR & Cas9 editing: a survey',
    publication_year: 2021,
    ids: { openalex: 'https://openalex.org/W3100000001' },
    primary_location: { is_oa: false, landing_page_url: null, pdf_url: null, source: null, license: null, version: null },
    type: 'preprint',
    authorships: Array.from({ length: 25 }, (_, i) => authorship(`Author ${i + 1}`, i === 0 ? 'first' : i === 24 ? 'last' : 'middle', 100 + i)),
    cited_by_count: 3,
    abstract_inverted_index: invertedIndex(OPENALEX_ABSTRACTS.crispr),
  },
  {
    id: 'https://openalex.org/W3200000002',
    doi: 'https://doi.org/10.1038/s41586-021-03819-2',
    title: 'Highly accurate protein structure prediction with AlphaFold',
    display_name: 'Highly accurate protein structure prediction with AlphaFold',
    publication_year: 2021,
    ids: { openalex: 'https://openalex.org/W3200000002', doi: 'https://doi.org/10.1038/s41586-021-03819-2' },
    primary_location: { is_oa: true, landing_page_url: 'https://doi.org/10.1038/s41586-021-03819-2', source: source('S137773608', 'Nature', '0028-0836') },
    type: 'article',
    authorships: [authorship('John Jumper', 'first', 200), authorship('Richard Evans', 'middle', 201), authorship('Demis Hassabis', 'last', 202)],
    cited_by_count: 20000,
    abstract_inverted_index: null,
  },
  // A work OpenAlex knows without a title: adapters skip it.
  {
    id: 'https://openalex.org/W3300000003',
    doi: null,
    title: null,
    display_name: null,
    publication_year: 2020,
    ids: { openalex: 'https://openalex.org/W3300000003' },
    primary_location: null,
    authorships: [],
    abstract_inverted_index: null,
  },
];

type Work = OpenAlexWork;

function served(work: Work, noAbstracts: boolean): Work {
  return noAbstracts ? { ...work, abstract_inverted_index: null } : work;
}

function route(url: URL, switches: { mode: string; noAbstracts: boolean }): Answer {
  const notFound = json(404, { error: '404 Not Found', message: 'The requested URL was not found on the server.' });
  if (url.pathname === '/works') {
    const query = url.searchParams.get('search') ?? '';
    const perPage = Number(url.searchParams.get('per-page') ?? '25');
    const found = switches.mode === 'empty' ? [] : openAlexCorpus.filter((w) => matches(query, `${w.display_name ?? ''} ${w.title ?? ''}`));
    const results = found.slice(0, perPage).map((w) => served(w, switches.noAbstracts));
    return json(200, {
      meta: { count: found.length, db_response_time_ms: 12, page: 1, per_page: perPage, groups_count: null },
      results,
      group_by: [],
    });
  }
  const key = decodeURIComponent(url.pathname.replace(/^\/works\//, '')).toLowerCase();
  if (!url.pathname.startsWith('/works/') || switches.mode === 'empty') return notFound;
  const work = openAlexCorpus.find(
    (w) =>
      (key.startsWith('doi:') && w.doi?.toLowerCase() === `https://doi.org/${key.slice(4)}`) ||
      (key.startsWith('pmid:') && w.ids.pmid === `https://pubmed.ncbi.nlm.nih.gov/${key.slice(5)}`) ||
      w.id.toLowerCase() === `https://openalex.org/${key}`,
  );
  return work ? json(200, served(work, switches.noAbstracts)) : notFound;
}

export type FakeOpenAlex = FakeLiterature<typeof openAlexCorpus>;

/** A fake OpenAlex on 127.0.0.1; `switches` changes how it answers from the next request on. */
export function fakeOpenAlex(): Promise<FakeOpenAlex> {
  return fakeLiteratureServer(openAlexCorpus, route, { meta: { count: 1 }, results: { id: 'not a list' } });
}
