import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppStore, openAppStore } from '../../../../server/app-state.js';
import { systemClock } from '../../../../server/core/clock.js';
import { configSchema } from '../../../../server/core/config/schema.js';
import { buildLibrary } from '../../../../server/core/literature/build-library.js';
import { createLogger } from '../../../../server/core/log/logger.js';
import { type FakeArxiv, startFakeArxiv } from '../../../helpers/fake-literature/arxiv.js';
import { type FakeCrossref, fakeCrossref } from '../../../helpers/fake-literature/crossref.js';
import { type FakeEuropePmc, startFakeEuropePmc } from '../../../helpers/fake-literature/europepmc.js';
import { type FakeOpenAlex, fakeOpenAlex } from '../../../helpers/fake-literature/openalex.js';
import { makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';

let dir: TempDir;
let store: AppStore;
let fakes: { openalex: FakeOpenAlex; europepmc: FakeEuropePmc; arxiv: FakeArxiv; crossref: FakeCrossref };
beforeAll(async () => {
  dir = await makeTempDir('labcoat-literature-');
  store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 20, clock: systemClock, logger: createLogger('silent') });
  fakes = { openalex: await fakeOpenAlex(), europepmc: await startFakeEuropePmc(), arxiv: await startFakeArxiv(), crossref: await fakeCrossref() };
});
afterAll(async () => {
  await Promise.all(Object.values(fakes).map((f) => f.close()));
  await store.close();
  await dir.cleanup();
});

/** The library as the core builds it from config.yaml, every source on its loopback fake. */
function library(literature: { enabled?: boolean } = {}, off: string[] = []) {
  const source = (url: string, name: string) => ({ base_url: url, min_interval_ms: 0, enabled: !off.includes(name) });
  const config = configSchema.parse({
    literature: {
      contact_email: 'owner@example.org',
      timeout_seconds: 2,
      sources: {
        openalex: source(fakes.openalex.url, 'openalex'),
        europepmc: source(fakes.europepmc.url, 'europepmc'),
        arxiv: source(fakes.arxiv.url, 'arxiv'),
        crossref: source(fakes.crossref.url, 'crossref'),
      },
      ...literature,
    },
  });
  return buildLibrary({ config, store, clock: systemClock, version: '0.0.0-test' });
}

describe('the literature sources as config.yaml wires them', () => {
  it('searches OpenAlex, Europe PMC and arXiv with the owner as contact, and resolves DOIs on Crossref', async () => {
    const built = library()!;
    const found = await built.library.search('malaria');
    expect(found.failures).toEqual([]);
    expect(found.lookups).toBe(3);
    expect(found.records.some((r) => r.source === 'europepmc')).toBe(true);
    expect(fakes.openalex.requests.at(-1)).toContain('mailto=owner%40example.org');
    expect(fakes.europepmc.requests.at(-1)).toContain('email=owner%40example.org');
    expect(fakes.arxiv.requests.at(-1)).toContain('search_query=all%3Amalaria');
    const attention = await built.library.search('attention');
    expect(attention.records.map((r) => r.ids.arxiv)).toContain('1706.03762');
    const doi = fakes.crossref.corpus[0]!.DOI.toLowerCase();
    expect((await built.bySource.crossref!.lookup!({ doi }))?.ids.doi).toBe(doi);
  });

  it('answers a repeated query from the cache, and goes on without a source that is down', async () => {
    const built = library()!;
    await built.library.search('vaccine trial');
    const asked = fakes.europepmc.requests.length;
    expect((await built.library.search('Vaccine  trial')).lookups).toBe(0);
    fakes.europepmc.mode = 'html';
    const found = await built.library.search('malaria transmission');
    fakes.europepmc.mode = 'normal';
    expect(found.failures).toEqual([expect.objectContaining({ source: 'europepmc', failure: 'unavailable' })]);
    expect(fakes.europepmc.requests.length).toBeGreaterThan(asked + 1); // retried before giving up
  });

  it('builds nothing with literature off, and leaves a disabled source unasked', async () => {
    expect(library({ enabled: false })).toBeNull();
    const before = fakes.arxiv.requests.length;
    const found = await library({}, ['arxiv'])!.library.search('protein adsorption');
    expect(found.failures).toEqual([]);
    expect(found.lookups).toBe(2);
    expect(fakes.arxiv.requests.length).toBe(before);
  });
});
