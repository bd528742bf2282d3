/**
 * A finished research run with literature, as state.json holds it: records from every source,
 * queries over two cycles with a source notice, hypotheses that cite records (one quote dropped,
 * one that may already be published), reviews, a debate turn and an overview whose references are
 * verified, not found and unverifiable, and research contacts. Beside it, a run with literature
 * off. For the page's tests: a DATA_DIR the app opens as it is.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyState } from '../../server/app-state.js';
import { STATE_FILE } from '../../server/core/store/store.js';
import { researchSettingsSchema } from '../../server/features/research/call-plan.js';
import type { CheckedReference, Cycle, Hypothesis, ResearchRun, Review, RunRecord } from '../../server/features/research/run-types.js';

export const LIT_RUN_ID = 'run_literatureFixture01';
export const OFF_RUN_ID = 'run_literatureOffFixture';
const SESSION = 's_fixture_owner';
const AT = Date.parse('2026-03-02T09:00:00Z');

export const QUOTE = 'Adults with a more diverse gut microbiota slept longer and woke less often.';
export const NOTICE = 'arXiv unavailable this cycle: the source answered 503 three times.';

export const RECORDS: RunRecord[] = [
  {
    n: 1,
    cycle: 0,
    id: 'doi:10.1016/j.sleep.2019.01.001',
    source: 'openalex',
    title: 'Gut microbiota diversity and sleep quality in healthy adults',
    authors: ['Ana Costa', 'Ben Li', 'Chen Wu'],
    year: 2019,
    venue: 'Sleep Medicine',
    ids: { doi: '10.1016/j.sleep.2019.01.001', openalex: 'W2911111111' },
    url: 'https://doi.org/10.1016/j.sleep.2019.01.001',
    abstract: `We sequenced stool samples of 120 adults. ${QUOTE} Diversity explained 12% of the variance.`,
  },
  {
    n: 2,
    cycle: 0,
    id: 'pmid:34567890',
    source: 'europepmc',
    title: 'Short-chain fatty acids signal to the brain through the vagus nerve',
    authors: ['Dana Park', 'Eli Stone'],
    year: 2021,
    venue: 'Nature Neuroscience',
    ids: { pmid: '34567890' },
    url: 'https://europepmc.org/article/MED/34567890',
    abstract: 'Butyrate activates vagal afferents in mice.',
  },
  {
    n: 3,
    cycle: 1,
    id: 'arxiv:2203.01234',
    source: 'arxiv',
    title: 'A dynamical model of microbial metabolite rhythms across the day',
    authors: ['Farah Ali'],
    year: 2022,
    venue: null,
    ids: { arxiv: '2203.01234' },
    url: 'https://arxiv.org/abs/2203.01234',
    abstract: 'We model day-night rhythms of bacterial metabolites.',
  },
  {
    n: 4,
    cycle: 1,
    id: 'doi:10.1111/jsr.12345',
    source: 'crossref',
    title: 'Probiotic supplementation and insomnia severity: a randomised controlled trial with a very long title that has to wrap on a phone',
    authors: ['Gil Moreau', 'Hana Sato', 'Ian Roe', 'Jo Kim'],
    year: 2018,
    venue: 'Journal of Sleep Research',
    ids: { doi: '10.1111/jsr.12345' },
    url: null,
    abstract: null,
  },
];

const pick = (r: RunRecord): CheckedReference['record'] => ({ id: r.id, source: r.source, title: r.title, year: r.year, url: r.url, ids: r.ids });

export const VERIFIED: CheckedReference = {
  citation: 'Costa A, Li B, Wu C. Gut microbiota diversity and sleep quality in healthy adults. Sleep Med. 2019. doi:10.1016/j.sleep.2019.01.001',
  relevance: 'the association this hypothesis builds on',
  status: 'verified',
  via: 'doi',
  record: pick(RECORDS[0]!),
};
export const NOT_FOUND: CheckedReference = {
  citation: 'Smith J. Microbial clocks set human sleep. Cell. 2020. doi:10.9999/invented.2020.001',
  relevance: 'claimed mechanism',
  status: 'not_found',
  via: 'doi',
  record: null,
};
export const UNVERIFIABLE: CheckedReference = {
  citation: 'Recent work on gut–brain signalling (Jones et al.)',
  relevance: 'background',
  status: 'unverifiable',
  via: null,
  record: null,
};

const score = (n: number, reason: string) => ({ score: n, reason });

export function review(id: string, cycle: number, references: CheckedReference[]): Review {
  return {
    id,
    cycle,
    by: 'model',
    novelty: score(4, 'Few studies link diversity to sleep timing.'),
    feasibility: score(3, 'Needs stool sequencing and actigraphy.'),
    testability: score(5, 'A clear, measurable outcome.'),
    safety: { flag: false, note: '' },
    references,
    summary: 'A plausible mechanism with one close prior study.',
  };
}

export function hypothesis(id: string, over: Partial<Hypothesis>): Hypothesis {
  return {
    id,
    cycle: 0,
    title: id,
    statement: '',
    rationale: 'Bacterial metabolites reach the brain.',
    test: 'Compare sleep diaries before and after a fibre diet.',
    assumptions: [],
    predictions: [],
    falsification: '',
    citations: [],
    evidence: [],
    quotes_dropped: 0,
    prior_work: [],
    may_be_published: false,
    origin: 'generated',
    strategy: null,
    parents: [],
    elo: 1200,
    wins: 0,
    losses: 0,
    reviews: [],
    pinned: false,
    dropped: false,
    duplicate_of: null,
    entered: true,
    deep_review: null,
    safety_cleared: false,
    refused: null,
    ...over,
  };
}

export const HYPOTHESES: Hypothesis[] = [
  hypothesis('h_diversity', {
    title: 'Microbial diversity lengthens deep sleep',
    statement: 'A more diverse gut microbiota increases slow-wave sleep through butyrate signalling on the vagus nerve.',
    assumptions: ['Butyrate reaches vagal afferents in humans', 'Sleep diaries track slow-wave sleep'],
    predictions: ['Higher diversity goes with more slow-wave sleep', 'Vagotomy removes the effect'],
    falsification: 'No link between diversity and slow-wave sleep in a sample of 200 adults.',
    citations: [1, 2],
    evidence: [{ n: 1, quote: QUOTE }],
    quotes_dropped: 1,
    prior_work: [
      { n: 1, similarity: 0.91 },
      { n: 4, similarity: 0.42 },
      { n: 2, similarity: 0.31 },
    ],
    may_be_published: true,
    elo: 1216,
    wins: 1,
    losses: 0,
    reviews: [review('r_1', 0, [VERIFIED, NOT_FOUND, UNVERIFIABLE])],
  }),
  hypothesis('h_rhythm', {
    cycle: 1,
    title: 'Metabolite rhythms entrain the sleep clock',
    statement: 'Day-night rhythms of bacterial metabolites shift the timing of sleep onset.',
    citations: [3],
    prior_work: [{ n: 3, similarity: 0.35 }],
    origin: 'evolved',
    strategy: 'ground',
    parents: ['h_diversity'],
    elo: 1200,
    reviews: [review('r_2', 1, [{ citation: '[3]', relevance: 'the model of rhythms', status: 'verified', via: 'excerpt', record: pick(RECORDS[2]!) }])],
  }),
  hypothesis('h_probiotic', {
    title: 'Probiotics shorten sleep latency',
    statement: 'A month of probiotics shortens the time to fall asleep.',
    elo: 1184,
    wins: 0,
    losses: 1,
  }),
];

export function cycle(index: number, last: boolean, lookups: number): Cycle {
  return {
    index,
    state: 'done',
    steps_done: [
      ...(index === 0 ? (['screen'] as const) : []),
      'literature',
      'generate',
      'review',
      'tournament',
      'evolve',
      'proximity',
      'meta_review',
      ...(last ? (['overview'] as const) : []),
    ],
    step: null,
    plan: { calls: 12, calls_max: 24, max_usd: 0, lookups_max: 60 },
    last,
    calls: 12,
    usd: 0,
    lookups,
    started_at: AT,
    finished_at: AT + 60_000,
    error: null,
  };
}

export function run(id: string, over: Partial<ResearchRun>): ResearchRun {
  return {
    id,
    session_id: SESSION,
    created_at: AT,
    updated_at: AT + 120_000,
    goal: 'Does the gut microbiome change sleep quality in adults?',
    model: 'meta-llama/llama-3.3-70b-instruct:free',
    key_mode: 'server',
    settings: { ...researchSettingsSchema.parse({}), elo_k: 32, temperatures: { screen: 0, generate: 0.9, review: 0.2, judge: 0.1, evolve: 0.8, meta: 0.3 } },
    state: 'idle',
    error: null,
    screening: { allowed: true, reason: 'A legitimate research question.' },
    plan: null,
    cycles: [],
    hypotheses: [],
    matches: [],
    meta_reviews: [],
    overview: null,
    literature: null,
    notes: [],
    usage: { calls: 24, usd: 0 },
    pending_cycles: 0,
    job_id: null,
    ...over,
  };
}

export function literatureRun(): ResearchRun {
  return run(LIT_RUN_ID, {
    cycles: [cycle(0, false, 23), cycle(1, true, 31)],
    hypotheses: HYPOTHESES,
    matches: [
      {
        id: 'm_1',
        cycle: 0,
        a: 'h_diversity',
        b: 'h_probiotic',
        winner: 'h_diversity',
        reason: 'A names a mechanism that can be tested.',
        elo_before: { a: 1200, b: 1200 },
        elo_delta: 16,
        debate: [
          {
            speaker: 'A',
            text: 'Diversity predicts sleep in a cohort (arXiv:2203.01234).',
            references: [{ citation: 'arXiv:2203.01234', relevance: '', status: 'verified', via: 'arxiv', record: pick(RECORDS[2]!) }],
          },
          { speaker: 'B', text: 'Probiotics are cheaper to test.' },
          { speaker: 'judge', text: 'A wins: its mechanism is testable.' },
        ],
      },
    ],
    meta_reviews: [
      { cycle: 0, strengths: ['grounded in a cohort study'], weaknesses: ['one study only'], advice: 'Look for mechanisms.' },
      { cycle: 1, strengths: ['a mechanism'], weaknesses: ['no trial yet'], advice: 'Plan a trial.' },
    ],
    overview: {
      cycle: 1,
      summary: 'Diversity and metabolite rhythms lead.',
      ranked: [
        { id: 'h_diversity', why: 'Won its match; grounded in [1].' },
        { id: 'h_rhythm', why: 'Grounded in [3].' },
      ],
      experiments: ['Sequence stool and record sleep for two weeks.'],
      open_questions: ['Does the effect hold in older adults?'],
      references: [
        { ...VERIFIED, citation: 'Gut microbiota diversity and sleep quality in healthy adults (2019)', via: 'title' },
        { ...NOT_FOUND },
        { ...UNVERIFIABLE },
      ],
      contacts: [
        { name: 'Ana Costa', n: 1, hypotheses: ['h_diversity'] },
        { name: 'Farah Ali', n: 3, hypotheses: ['h_rhythm', 'h_diversity'] },
      ],
    },
    literature: {
      records: RECORDS,
      queries: [
        { cycle: 0, query: 'gut microbiota diversity sleep quality', found: 14, added: 2 },
        { cycle: 0, query: 'short-chain fatty acids vagus nerve sleep', found: 9, added: 0 },
        { cycle: 0, query: 'microbial metabolites circadian rhythm', found: 0, added: 0 },
        { cycle: 1, query: 'probiotic insomnia randomised trial', found: 11, added: 1 },
        { cycle: 1, query: 'bacterial metabolite day night rhythm model', found: 6, added: 1 },
      ],
      notices: [{ cycle: 0, source: 'arxiv', message: NOTICE }],
      sources: ['openalex', 'europepmc', 'arxiv'],
    },
  });
}

/** The same kind of run made with literature off: its references are all unverifiable. */
export function literatureOffRun(): ResearchRun {
  const h = HYPOTHESES[2]!;
  return run(OFF_RUN_ID, {
    cycles: [
      {
        ...cycle(0, true, 0),
        steps_done: ['screen', 'generate', 'review', 'tournament', 'evolve', 'proximity', 'meta_review', 'overview'],
        plan: { calls: 12, calls_max: 24, max_usd: 0, lookups_max: 0 },
      },
    ],
    hypotheses: [{ ...h, reviews: [review('r_off', 0, [UNVERIFIABLE])] }],
  });
}

/** Writes a state.json holding both runs into `dataDir`, as the app's store reads it at start-up. */
export async function writeLiteratureState(dataDir: string): Promise<void> {
  const state = { ...emptyState(new Date(AT)), research_runs: { [LIT_RUN_ID]: literatureRun(), [OFF_RUN_ID]: literatureOffRun() } };
  await writeFile(join(dataDir, STATE_FILE), JSON.stringify(state));
}
