import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from '../listen.js';

/**
 * A fake arXiv query API on 127.0.0.1: GET /query?search_query=all:…&start=…&max_results=… or
 * ?id_list=… answers an Atom feed in the real layout (feed metadata, opensearch counts, one <entry>
 * per e-print with versioned abs-URL id, arxiv:doi, arxiv:journal_ref, links and categories), from the
 * corpus below. Like arXiv, a malformed id answers HTTP 200 with one entry titled "Error".
 */

export interface ArxivPaper {
  /** With version, as arXiv's <id> carries it: '1706.03762v7', 'hep-th/9901001v2'. */
  versionedId: string;
  title: string;
  summary?: string;
  authors: string[];
  published: string;
  updated: string;
  doi?: string;
  journalRef?: string;
  comment?: string;
  primaryCategory: string;
}

export const ARXIV_CORPUS: ArxivPaper[] = [
  {
    versionedId: '1706.03762v7',
    title: 'Attention Is All\n      You Need',
    summary:
      '  The dominant sequence transduction models are based on complex recurrent or\nconvolutional neural networks. We propose the Transformer & <more>.\n',
    authors: ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar'],
    published: '2017-06-12T17:57:34Z',
    updated: '2023-08-02T00:41:18Z',
    comment: '15 pages, 5 figures',
    primaryCategory: 'cs.CL',
  },
  {
    versionedId: '2106.09685v2',
    title: 'LoRA: Low-Rank Adaptation of Large Language Models',
    summary: 'We propose Low-Rank Adaptation, or LoRA, which freezes the pretrained model weights.',
    authors: ['Edward J. Hu'],
    published: '2021-06-17T17:37:18Z',
    updated: '2021-10-16T18:40:34Z',
    doi: '10.48550/ARXIV.2106.09685',
    journalRef: 'ICLR 2022',
    primaryCategory: 'cs.CL',
  },
  {
    versionedId: 'hep-th/9711200v3',
    title: 'The Large N Limit of Superconformal Field Theories and Supergravity',
    summary: 'We show that the large N limit of certain conformal field theories can be described by supergravity.',
    authors: ['Juan M. Maldacena'],
    published: '1997-11-27T20:50:34Z',
    updated: '1998-01-22T22:32:41Z',
    doi: '10.1023/A:1026654312961',
    journalRef: 'Adv.Theor.Math.Phys.2:231-252,1998',
    primaryCategory: 'hep-th',
  },
];

export type ArxivMode =
  | 'normal'
  | 'empty'
  /** A 200 whose body is cut-off XML. */
  | 'malformed'
  /** Well-formed XML that is not an Atom feed. */
  | 'wrong-shape'
  /** A proxy's HTML error page, status 503. */
  | 'html'
  /** An HTML page with status 200 (a wrong base URL). */
  | 'html-200'
  /** Every entry without <summary>. */
  | 'no-abstracts'
  /** arXiv's own error report: HTTP 200, one entry titled "Error". */
  | 'error-entry';

export interface FakeArxiv {
  url: string;
  /** Paths with their query string, as received (still URL-encoded). */
  requests: string[];
  mode: ArxivMode;
  close(): Promise<void>;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function entryXml(p: ArxivPaper, withSummary: boolean): string {
  const abs = `http://arxiv.org/abs/${p.versionedId}`;
  return [
    '  <entry>',
    `    <id>${abs}</id>`,
    `    <updated>${p.updated}</updated>`,
    `    <published>${p.published}</published>`,
    `    <title>${esc(p.title)}</title>`,
    withSummary && p.summary !== undefined ? `    <summary>${esc(p.summary)}</summary>` : '',
    ...p.authors.map((a) => `    <author>\n      <name>${esc(a)}</name>\n    </author>`),
    p.doi ? `    <arxiv:doi xmlns:arxiv="http://arxiv.org/schemas/atom">${esc(p.doi)}</arxiv:doi>` : '',
    p.doi ? `    <link title="doi" href="http://dx.doi.org/${esc(p.doi)}" rel="related"/>` : '',
    p.comment ? `    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">${esc(p.comment)}</arxiv:comment>` : '',
    p.journalRef ? `    <arxiv:journal_ref xmlns:arxiv="http://arxiv.org/schemas/atom">${esc(p.journalRef)}</arxiv:journal_ref>` : '',
    `    <link href="${abs}" rel="alternate" type="text/html"/>`,
    `    <link title="pdf" href="http://arxiv.org/pdf/${p.versionedId}" rel="related" type="application/pdf"/>`,
    `    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="${p.primaryCategory}" scheme="http://arxiv.org/schemas/atom"/>`,
    `    <category term="${p.primaryCategory}" scheme="http://arxiv.org/schemas/atom"/>`,
    '  </entry>',
  ]
    .filter(Boolean)
    .join('\n');
}

function errorEntryXml(detail: string): string {
  const id = `http://arxiv.org/api/errors#${detail.replace(/\s+/g, '_')}`;
  return [
    '  <entry>',
    `    <id>${esc(id)}</id>`,
    '    <title>Error</title>',
    `    <summary>${esc(detail)}</summary>`,
    '    <updated>2026-12-06T00:00:00-05:00</updated>',
    `    <link href="${esc(id)}" rel="alternate" type="text/html"/>`,
    '    <author>\n      <name>arXiv api core</name>\n    </author>',
    '  </entry>',
  ].join('\n');
}

function feedXml(query: string, entries: string[], start: number, max: number): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <link href="http://arxiv.org/api/query?${esc(query)}" rel="self" type="application/atom+xml"/>`,
    `  <title type="html">ArXiv Query: ${esc(query)}</title>`,
    '  <id>http://arxiv.org/api/cHxbiOdZaP56ODnBPIenZhzg5f8</id>',
    '  <updated>2026-12-06T00:00:00-05:00</updated>',
    `  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${entries.length}</opensearch:totalResults>`,
    `  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${start}</opensearch:startIndex>`,
    `  <opensearch:itemsPerPage xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${max}</opensearch:itemsPerPage>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}

const bare = (versioned: string) => versioned.replace(/v\d+$/, '');

export async function startFakeArxiv(opts: { mode?: ArxivMode; corpus?: ArxivPaper[] } = {}): Promise<FakeArxiv> {
  const corpus = opts.corpus ?? ARXIV_CORPUS;
  const requests: string[] = [];
  const state = { mode: opts.mode ?? ('normal' as ArxivMode) };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://fake');
    if (state.mode === 'html' || state.mode === 'html-200') {
      res
        .writeHead(state.mode === 'html' ? 503 : 200, { 'content-type': 'text/html' })
        .end('<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>Try again.</p></body></html>');
      return;
    }
    if (url.pathname !== '/query') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const atom = { 'content-type': 'application/atom+xml; charset=UTF-8' };
    if (state.mode === 'malformed') {
      res.writeHead(200, atom).end('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n  <entry>\n    <title>Cut');
      return;
    }
    if (state.mode === 'wrong-shape') {
      res.writeHead(200, { 'content-type': 'application/xml' }).end('<?xml version="1.0"?><rss version="2.0"><channel><title>Not Atom</title></channel></rss>');
      return;
    }
    const query = url.search.slice(1);
    const start = Number(url.searchParams.get('start') ?? '0');
    const max = Number(url.searchParams.get('max_results') ?? '10');
    if (state.mode === 'error-entry') {
      res.writeHead(200, atom).end(feedXml(query, [errorEntryXml('incorrect id format for 1234.12345678')], 0, 1));
      return;
    }
    let hits: ArxivPaper[] = [];
    const idList = url.searchParams.get('id_list');
    const search = url.searchParams.get('search_query');
    if (idList) {
      hits = idList.split(',').flatMap((id) => corpus.filter((p) => p.versionedId === id || bare(p.versionedId) === id));
    } else if (search?.startsWith('all:')) {
      const words = search.slice(4).toLowerCase().split(/\s+/).filter(Boolean);
      hits = corpus.filter((p) => words.every((w) => `${p.title} ${p.summary ?? ''}`.toLowerCase().includes(w)));
    }
    if (state.mode === 'empty') hits = [];
    const entries = hits.slice(start, start + max).map((p) => entryXml(p, state.mode !== 'no-abstracts'));
    res.writeHead(200, atom).end(feedXml(query, entries, start, max));
  };
  const server = await listen(handler);
  return {
    url: server.url,
    requests,
    get mode() {
      return state.mode;
    },
    set mode(m: ArxivMode) {
      state.mode = m;
    },
    close: () => server.close(),
  };
}
