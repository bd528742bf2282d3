/**
 * A local literature source for `npm run demo`: a small synthetic corpus served on 127.0.0.1 in
 * OpenAlex's and Crossref's own response formats, so the demo's research runs search, cite and
 * check references offline. Every record is labelled simulated: its title ends "(simulated)", its
 * venue is a "Simulated Journal of …", its DOI sits under Crossref's test prefix
 * (10.5555/labcoat-sim.N) and its abstract says it reports no real study. Deterministic: the same
 * query always finds the same records.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One synthetic record; `general` ones (research methods) fill a search that matched little. */
export interface SimulatedRecord {
  n: number;
  title: string;
  /** The abstract's text (the label sentence is added when served). */
  findings: string;
  venue: string;
  year: number;
  authors: string[];
  general: boolean;
}

/** Said at the end of every abstract, so an excerpt never reads as a real study. */
export const SIMULATED_LABEL = 'This record is simulated for the Labcoat demo and reports no real study.';
export const SIMULATED_DOI_PREFIX = '10.5555/labcoat-sim.';

const AUTHORS = [
  'Ada Placeholder',
  'Ben Synthetic',
  'Cleo Mockwell',
  'Dev Sampleton',
  'Eve Fictive',
  'Finn Notreal',
  'Gia Standin',
  'Hal Pretend',
  'Ivy Dummett',
  'Jon Imitatio',
];

/** [title, findings, field, general] */
const ENTRIES: Array<[string, string, string, boolean?]> = [
  [
    'Fermented food intake and self-reported sleep quality in adults',
    'Adults who ate fermented foods daily reported better sleep quality than those who rarely ate them. The association weakened after adjusting for overall diet quality and physical activity.',
    'Nutrition and Sleep',
  ],
  [
    'Gut microbiome composition and circadian rhythm: a cohort study',
    'Gut microbiome diversity varied with the time of day in a cohort of 400 adults. Participants with disrupted circadian rhythms carried fewer bacteria that produce short-chain fatty acids.',
    'Microbial Ecology',
  ],
  [
    'Short-chain fatty acids and the gut-brain axis in mice',
    'Mice given short-chain fatty acids showed lower stress hormone levels and longer sleep episodes. Cutting the vagus nerve removed most of the effect.',
    'Neurobiology',
  ],
  [
    'Probiotic supplementation and anxiety: a randomised controlled trial',
    'A twelve-week probiotic supplement reduced anxiety scores modestly compared with placebo. The effect was larger in participants whose microbiome diversity was low at baseline.',
    'Clinical Psychiatry',
  ],
  [
    'Caffeine timing, sleep onset latency and next-day performance',
    'Caffeine taken within six hours of bedtime lengthened sleep onset latency by about twenty minutes. Next-day reaction times were slower after the late doses.',
    'Sleep Medicine',
  ],
  [
    'Evening light exposure delays melatonin release',
    'Bright evening light delayed the rise of melatonin by up to ninety minutes. Dim red light had no measurable effect on melatonin timing.',
    'Chronobiology',
  ],
  [
    'Gene expression in human blood after one night of sleep deprivation',
    'One night without sleep changed the expression of several hundred genes in circulating immune cells. Most changes reversed after a night of recovery sleep.',
    'Human Genomics',
  ],
  [
    'Exercise intensity and cognitive function in older adults',
    'Older adults who trained at moderate intensity improved on memory tests more than those who trained lightly. High-intensity training gave no further benefit.',
    'Ageing Research',
  ],
  [
    'Soil temperature and root growth of crops under drought stress',
    'Warmer soil reduced root growth in wheat grown under drought stress. Mulching lowered soil temperature and restored part of the root growth.',
    'Plant Science',
  ],
  [
    'Urban heat islands and the nesting success of city birds',
    'Nests in the hottest parts of the city fledged fewer chicks than nests in cooler parks. Tree cover explained most of the difference between sites.',
    'Urban Ecology',
  ],
  [
    'Ocean acidification and coral calcification rates',
    'Corals kept in acidified seawater built their skeletons more slowly than controls. Some colonies from warmer reefs were less affected.',
    'Marine Biology',
  ],
  [
    'Antibiotic resistance genes in hospital wastewater',
    'Wastewater downstream of hospitals carried more antibiotic resistance genes than municipal wastewater. Treatment plants removed most but not all of them.',
    'Environmental Microbiology',
  ],
  [
    'Inflammation markers and depressive symptoms in a population study',
    'Higher levels of inflammation markers were associated with more depressive symptoms in a population of 2,000 adults. The association was strongest in people with obesity.',
    'Psychoneuroimmunology',
  ],
  [
    'Insulin sensitivity after intermittent fasting: a crossover trial',
    'Eight weeks of intermittent fasting improved insulin sensitivity compared with a standard diet of equal calories. Participants also lost a small amount of weight.',
    'Metabolism',
  ],
  [
    'Social media use at night and sleep duration in adolescents',
    'Adolescents who used social media after lights out slept about forty minutes less on school nights. Turning off notifications reduced the gap by half.',
    'Adolescent Health',
  ],
  [
    'Neural network models of language learning in children',
    'A small neural network trained on child-directed speech learned word categories in the same order as children do. Removing the prosody from its input slowed the learning.',
    'Cognitive Science',
  ],
  [
    'Battery electrode degradation at high charging rates',
    'Electrodes charged at high rates lost capacity faster because of lithium plating. Charging at lower temperatures made the degradation worse.',
    'Energy Materials',
  ],
  [
    'Remote work, productivity and wellbeing: a panel survey',
    'Employees who worked from home two days a week reported higher wellbeing and similar productivity. Fully remote employees reported more loneliness.',
    'Work and Organisation',
  ],
  [
    'Air pollution exposure and the incidence of childhood asthma',
    'Children living near busy roads developed asthma more often than children in quieter areas. The risk rose with the measured concentration of nitrogen dioxide.',
    'Environmental Health',
  ],
  [
    'Vitamin D levels and the immune response to respiratory infection',
    'People with low vitamin D levels had more respiratory infections during winter. Supplementation reduced infections only in those who started with a deficiency.',
    'Immunology',
  ],
  [
    'Confounding in observational studies of diet and health outcomes',
    'Observational studies of diet often confound the effect of a single food with the overall lifestyle of the people who eat it. Adjusting for socioeconomic status and physical activity removed about half of the reported effects.',
    'Research Methods',
    true,
  ],
  [
    'Sample size, effect sizes and replication in small experimental studies',
    'Small experimental studies overestimated effect sizes, and many of their findings failed to replicate in larger samples. Power calculations done before data collection reduced the problem.',
    'Research Methods',
    true,
  ],
  [
    'Dose-response designs for testing causal mechanisms',
    'Testing several doses of an exposure gave stronger evidence for a causal mechanism than comparing exposed and unexposed groups. A monotonic dose-response curve was the most persuasive single result.',
    'Research Methods',
    true,
  ],
  [
    'Measurement error in self-reported outcomes and how to correct it',
    'Self-reported outcomes such as sleep, diet and mood carried large random and systematic measurement errors. Calibrating them against objective measures in a subsample corrected most of the bias.',
    'Research Methods',
    true,
  ],
  [
    'Pre-registration and the falsification of research hypotheses',
    'Pre-registered studies reported fewer positive results than studies that were not pre-registered. Stating in advance which result would refute a hypothesis made the tests more informative.',
    'Research Methods',
    true,
  ],
  [
    'Mechanistic models versus statistical associations in biology',
    'Mechanistic models predicted the outcome of new interventions better than models fitted to statistical associations alone. Combining both gave the best predictions.',
    'Research Methods',
    true,
  ],
];

/** The corpus, numbered from 1 (the number is the DOI's last part). */
export const SIMULATED_CORPUS: readonly SimulatedRecord[] = ENTRIES.map(([title, findings, field, general], i) => ({
  n: i + 1,
  title: `${title} (simulated)`,
  findings,
  venue: `Simulated Journal of ${field}`,
  year: 2012 + ((i * 5) % 13),
  authors: [AUTHORS[i % AUTHORS.length]!, AUTHORS[(i + 3) % AUTHORS.length]!, AUTHORS[(i + 7) % AUTHORS.length]!],
  general: general ?? false,
}));

export const simulatedDoi = (r: SimulatedRecord) => `${SIMULATED_DOI_PREFIX}${r.n}`;
export const simulatedAbstract = (r: SimulatedRecord) => `${r.findings} ${SIMULATED_LABEL}`;
const openAlexId = (r: SimulatedRecord) => `W99900${String(r.n).padStart(5, '0')}`;

const STOP = new Set(
  'the and for with from that this these those into about after before than then there their what which when where does some more most less very other such also between within without using used study studies effect effects people'.split(
    ' ',
  ),
);

/** A word's stem for a loose match: lower case, its first five letters ("fermented", "fermentation" → "ferme"). */
function stems(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(words.filter((w) => w.length >= 4 && !STOP.has(w)).map((w) => w.slice(0, 5)));
}

const indexed = SIMULATED_CORPUS.map((r) => ({ record: r, title: stems(r.title.replace(/\(simulated\)$/, '')), text: stems(r.findings) }));

/** A search that found little is topped up with general (research methods) records up to this many. */
const AT_LEAST = 3;

/**
 * Records for a query, best first: ranked by the query words they share (a title word counts
 * twice), then topped up with general records so that any query finds something.
 */
export function searchSimulated(query: string, limit: number): SimulatedRecord[] {
  const q = stems(query);
  const scored = indexed
    .map(({ record, title, text }) => ({ record, score: [...q].reduce((s, w) => s + (title.has(w) ? 2 : text.has(w) ? 1 : 0), 0) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.record.n - b.record.n)
    .map((x) => x.record);
  const fill = SIMULATED_CORPUS.filter((r) => r.general && !scored.includes(r)).slice(0, Math.max(0, AT_LEAST - scored.length));
  return [...scored, ...fill].slice(0, Math.max(1, limit));
}

/** The record with this DOI (any case, with or without a resolver prefix), or undefined. */
export function simulatedByDoi(doi: string): SimulatedRecord | undefined {
  const key = doi
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\/(dx\.)?doi\.org\//, '')
    .replace(/^doi:/, '');
  return SIMULATED_CORPUS.find((r) => simulatedDoi(r) === key);
}

/** A work in OpenAlex's format (GET /works and /works/{id}): the abstract as an inverted index. */
export function openAlexWork(r: SimulatedRecord) {
  const index: Record<string, number[]> = {};
  simulatedAbstract(r)
    .split(/\s+/)
    .forEach((word, at) => {
      (index[word] ??= []).push(at);
    });
  const id = `https://openalex.org/${openAlexId(r)}`;
  return {
    id,
    doi: `https://doi.org/${simulatedDoi(r)}`,
    title: r.title,
    display_name: r.title,
    publication_year: r.year,
    ids: { openalex: id, doi: `https://doi.org/${simulatedDoi(r)}` },
    primary_location: { is_oa: true, landing_page_url: null, pdf_url: null, source: { display_name: r.venue, type: 'journal' } },
    type: 'article',
    authorships: r.authors.map((name, i) => ({
      author_position: i === 0 ? 'first' : i === r.authors.length - 1 ? 'last' : 'middle',
      author: { id: null, display_name: name, orcid: null },
      institutions: [],
      raw_author_name: name,
    })),
    cited_by_count: 0,
    abstract_inverted_index: index,
  };
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A work in Crossref's format (the `message` of GET /works/{doi}, an item of GET /works): the abstract in JATS. */
export function crossrefWork(r: SimulatedRecord) {
  return {
    DOI: simulatedDoi(r),
    URL: `https://doi.org/${simulatedDoi(r)}`,
    type: 'journal-article',
    prefix: '10.5555',
    publisher: 'Labcoat demo (simulated)',
    title: [r.title],
    author: r.authors.map((name, i) => {
      const [given, ...family] = name.split(' ');
      return { given, family: family.join(' '), sequence: i === 0 ? 'first' : 'additional', affiliation: [] };
    }),
    issued: { 'date-parts': [[r.year]] },
    published: { 'date-parts': [[r.year]] },
    'container-title': [r.venue],
    abstract: `<jats:p>${escapeXml(simulatedAbstract(r))}</jats:p>`,
    source: 'Crossref',
    score: 1,
  };
}

type Answer = { status: number; contentType: string; body: string };
const json = (status: number, value: unknown): Answer => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) });
const count = (raw: string | null, fallback: number) => {
  const n = Number(raw ?? fallback);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 200) : fallback;
};

/** The answer to one GET: /openalex/works…, /crossref/works…, or a 404 in the API's own manner. */
export function simulatedLiteratureAnswer(path: string): Answer {
  const url = new URL(path, 'http://simulated.invalid');
  const [, api, ...rest] = url.pathname.split('/');
  const sub = rest.join('/');
  if (api === 'openalex') {
    if (sub === 'works') {
      const perPage = count(url.searchParams.get('per-page'), 25);
      const found = searchSimulated(url.searchParams.get('search') ?? '', perPage);
      return json(200, { meta: { count: found.length, page: 1, per_page: perPage, note: 'simulated' }, results: found.map(openAlexWork), group_by: [] });
    }
    const key = decodeURIComponent(sub.replace(/^works\//, '')).toLowerCase();
    const record = sub.startsWith('works/')
      ? key.startsWith('doi:')
        ? simulatedByDoi(key.slice(4))
        : SIMULATED_CORPUS.find((r) => openAlexId(r).toLowerCase() === key)
      : undefined;
    return record ? json(200, openAlexWork(record)) : json(404, { error: '404 Not Found', message: 'The requested URL was not found on the server.' });
  }
  if (api === 'crossref') {
    if (sub === 'works') {
      const rows = count(url.searchParams.get('rows'), 20);
      const found = searchSimulated(url.searchParams.get('query.bibliographic') ?? '', rows);
      return json(200, {
        status: 'ok',
        'message-type': 'work-list',
        'message-version': '1.0.0',
        message: { 'total-results': found.length, 'items-per-page': rows, items: found.map(crossrefWork) },
      });
    }
    const record = sub.startsWith('works/') ? simulatedByDoi(decodeURIComponent(sub.slice('works/'.length))) : undefined;
    return record
      ? json(200, { status: 'ok', 'message-type': 'work', 'message-version': '1.0.0', message: crossrefWork(record) })
      : { status: 404, contentType: 'text/plain', body: 'Resource not found.' };
  }
  return json(404, { error: 'The simulated literature source serves /openalex/works and /crossref/works only.' });
}

export interface SimulatedLiterature {
  url: string;
  /** Base URLs for config literature.sources.*.base_url. */
  openalex: string;
  crossref: string;
  close(): Promise<void>;
}

/** Starts the simulated literature source on 127.0.0.1 (a random port). */
export async function startSimulatedLiterature(): Promise<SimulatedLiterature> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const answer =
      req.method === 'GET' || req.method === 'HEAD'
        ? simulatedLiteratureAnswer(req.url ?? '/')
        : { status: 405, contentType: 'text/plain', body: 'The simulated literature source answers GET only.' };
    res.writeHead(answer.status, { 'Content-Type': answer.contentType });
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openalex: `${url}/openalex`,
    crossref: `${url}/crossref`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
