import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../server/core/clock.js';
import { createPoliteGet } from '../../../server/core/literature/polite-get.js';
import type { LiteratureSource, SourceName } from '../../../server/core/literature/record.js';
import { crossrefSource } from '../../../server/core/literature/sources/crossref.js';
import { openAlexSource } from '../../../server/core/literature/sources/openalex.js';
import { verifyReference } from '../../../server/core/literature/verify.js';
import {
  SIMULATED_CORPUS,
  SIMULATED_LABEL,
  type SimulatedLiterature,
  searchSimulated,
  simulatedAbstract,
  simulatedDoi,
  startSimulatedLiterature,
} from '../../../server/demo/simulated-literature.js';
import { simulatedAnswer } from '../../../server/demo/simulated-model.js';
import { reviewPrompt } from '../../../server/features/research/prompts/review.js';
import { excerptsBlock } from '../../../server/features/research/prompts/parts.js';
import { newHypothesis } from '../../../server/features/research/new-hypothesis.js';
import { PRIOR_WORK_HEADING } from '../../../server/features/research/steps/review.js';

let sim: SimulatedLiterature;
let openalex: LiteratureSource;
let crossref: LiteratureSource;

/** The real etiquette layer, as the demo's config sets it up (min_interval_ms 0). */
const politeGet = (source: SourceName) =>
  createPoliteGet({ source, userAgent: 'Labcoat/test', minIntervalMs: 0, timeoutMs: 5000, retries: 0, maxBytes: 2048 * 1024 }, { clock: systemClock });

beforeAll(async () => {
  sim = await startSimulatedLiterature();
  openalex = openAlexSource({ get: politeGet('openalex'), baseUrl: sim.openalex });
  crossref = crossrefSource({ get: politeGet('crossref'), baseUrl: sim.crossref });
});
afterAll(() => sim.close());

describe('the simulated literature source (npm run demo)', () => {
  it('holds a small corpus, every record labelled simulated, under the test DOI prefix', () => {
    expect(SIMULATED_CORPUS.length).toBeGreaterThanOrEqual(20);
    expect(SIMULATED_CORPUS.length).toBeLessThanOrEqual(30);
    expect(new Set(SIMULATED_CORPUS.map((r) => r.title)).size).toBe(SIMULATED_CORPUS.length);
    for (const r of SIMULATED_CORPUS) {
      expect(r.title).toMatch(/ \(simulated\)$/);
      expect(r.venue).toMatch(/^Simulated Journal of /);
      expect(simulatedDoi(r)).toBe(`10.5555/labcoat-sim.${r.n}`);
      expect(simulatedAbstract(r)).toContain(SIMULATED_LABEL);
    }
  });

  it('answers an OpenAlex search that the real OpenAlex adapter parses, best match first', async () => {
    const records = await openalex.search({ query: 'fermented food sleep quality', limit: 8 });
    expect(records.length).toBeGreaterThan(0);
    const first = SIMULATED_CORPUS[0]!;
    expect(records[0]).toEqual({
      id: `doi:${simulatedDoi(first)}`,
      source: 'openalex',
      title: first.title,
      authors: first.authors,
      year: first.year,
      venue: first.venue,
      ids: { openalex: 'W9990000001', doi: simulatedDoi(first) },
      url: `https://doi.org/${simulatedDoi(first)}`,
      abstract: simulatedAbstract(first),
    });
    for (const r of records) expect(r.title).toMatch(/\(simulated\)$/);
  });

  it('finds something for any query (general research-methods records), the same every time, within the page size', async () => {
    const odd = await openalex.search({ query: 'quantum chromodynamics on a lattice', limit: 8 });
    expect(odd.length).toBeGreaterThanOrEqual(3);
    expect(await openalex.search({ query: 'quantum chromodynamics on a lattice', limit: 8 })).toEqual(odd);
    expect(await openalex.search({ query: 'sleep', limit: 2 })).toHaveLength(2);
    expect(searchSimulated('', 5).length).toBeGreaterThan(0);
  });

  it('resolves its own DOIs on Crossref and OpenAlex, and answers 404 (null) for any other', async () => {
    const third = SIMULATED_CORPUS[2]!;
    expect(await crossref.lookup!({ doi: simulatedDoi(third) })).toMatchObject({
      id: `doi:${simulatedDoi(third)}`,
      source: 'crossref',
      title: third.title,
      authors: third.authors,
      year: third.year,
      venue: third.venue,
      abstract: simulatedAbstract(third),
    });
    expect(await openalex.lookup!({ doi: simulatedDoi(third) })).toMatchObject({ title: third.title });
    expect(await crossref.lookup!({ doi: '10.5555/labcoat-sim.invented-1' })).toBeNull();
    expect(await crossref.lookup!({ doi: '10.1038/nature12373' })).toBeNull();
    expect(await openalex.lookup!({ doi: '10.5555/labcoat-sim.999' })).toBeNull();
    expect((await crossref.search({ query: 'coral ocean acidification', limit: 3 }))[0]).toMatchObject({ title: SIMULATED_CORPUS[10]!.title });
    expect((await fetch(`${sim.url}/elsewhere`)).status).toBe(404);
  });

  it('verifies a reference to one of its records, and marks the simulated model’s invented reference not found', async () => {
    const resolvers = { bySource: { crossref }, search: (title: string) => openalex.search({ query: title, limit: 5 }) };
    const real = SIMULATED_CORPUS[4]!;
    expect(await verifyReference(`${real.title}, doi:${simulatedDoi(real)}`, resolvers)).toMatchObject({ status: 'verified', via: 'doi' });
    // The review the simulated model writes with prior work given: one "[n]" and one invented DOI.
    const records = (await openalex.search({ query: 'sleep', limit: 3 })).map((r, i) => ({ ...r, n: i + 1, cycle: 0 }));
    const prior = excerptsBlock(records, 5400, PRIOR_WORK_HEADING);
    const h = newHypothesis('h_1', 0, { title: 'Sleep', statement: 'Sleep helps.', rationale: 'Rest.', test: 'A trial.' }, 'generated');
    let n = 0;
    const review = JSON.parse(simulatedAnswer(reviewPrompt('Why do we sleep?', h, prior.text), () => n++)) as { references: Array<{ citation: string }> };
    const invented = review.references.find((r) => r.citation.includes('invented'));
    expect(invented).toBeDefined();
    expect(await verifyReference(invented!.citation, resolvers)).toMatchObject({ status: 'not_found', via: 'doi', record: null });
  });
});
