/** What literature lookups add to a cycle: queries searched on every source at once, within each source's rate limit, then cached. */
import { openAppStore } from '../server/app-state.js';
import { systemClock } from '../server/core/clock.js';
import { configSchema } from '../server/core/config/schema.js';
import { buildLibrary } from '../server/core/literature/build-library.js';
import { createLogger } from '../server/core/log/logger.js';
import { startFakeArxiv } from '../tests/helpers/fake-literature/arxiv.js';
import { fakeCrossref } from '../tests/helpers/fake-literature/crossref.js';
import { startFakeEuropePmc } from '../tests/helpers/fake-literature/europepmc.js';
import { fakeOpenAlex } from '../tests/helpers/fake-literature/openalex.js';
import { makeTempDir } from '../tests/helpers/temp-dir.js';

const ARXIV_INTERVAL_MS = 3000;

export async function literatureLookups(opts: { latencyMs: number; queries: string[] }) {
  const dir = await makeTempDir('labcoat-bench-literature-');
  const store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 250, clock: systemClock, logger: createLogger('silent') });
  const fakes = { openalex: await fakeOpenAlex(), europepmc: await startFakeEuropePmc(), arxiv: await startFakeArxiv(), crossref: await fakeCrossref() };
  const source = (url: string, minIntervalMs = 0) => ({ base_url: url, min_interval_ms: minIntervalMs });
  const config = configSchema.parse({
    literature: {
      contact_email: 'bench@example.org',
      sources: {
        openalex: source(fakes.openalex.url),
        europepmc: source(fakes.europepmc.url),
        arxiv: source(fakes.arxiv.url, ARXIV_INTERVAL_MS),
        crossref: source(fakes.crossref.url),
      },
    },
  });
  // Every source answers after `latencyMs`, as a distant API would.
  const slow: typeof fetch = async (input, init) => {
    await new Promise((resolve) => setTimeout(resolve, opts.latencyMs));
    return fetch(input, init);
  };
  const { library } = buildLibrary({ config, store, clock: systemClock, version: 'bench', fetch: slow })!;
  const run = async () => {
    const started = performance.now();
    const results = await Promise.all(opts.queries.map((q) => library.search(q)));
    return { ms: performance.now() - started, lookups: results.reduce((n, r) => n + r.lookups, 0), records: results.reduce((n, r) => n + r.records.length, 0) };
  };
  const first = await run();
  const second = await run();
  await Promise.all(Object.values(fakes).map((f) => f.close()));
  await store.close();
  await dir.cleanup();
  // Sources run side by side; arXiv takes its queries one per 3 s, so it sets the pace.
  const idealMs = (opts.queries.length - 1) * ARXIV_INTERVAL_MS + opts.latencyMs;
  const asked = opts.queries.length * 3;
  return { first, second, idealMs, cacheHitRate: 1 - second.lookups / asked };
}
