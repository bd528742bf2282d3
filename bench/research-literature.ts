/**
 * What the literature adds to a real research cycle: the same default cycle with literature off and
 * on (every source answering in `sourceMs`, arXiv at its one request per 3 s), and a second run with
 * the same goal, whose searches should all come from the cache.
 */
import { startFakeArxiv } from '../tests/helpers/fake-literature/arxiv.js';
import { fakeCrossref } from '../tests/helpers/fake-literature/crossref.js';
import { startFakeEuropePmc } from '../tests/helpers/fake-literature/europepmc.js';
import { fakeOpenAlex } from '../tests/helpers/fake-literature/openalex.js';
import { startFakeUpstream } from '../tests/helpers/fake-upstream.js';
import { researchResponder } from '../tests/helpers/research-fake.js';
import { startTestServer } from '../tests/helpers/test-server.js';

const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const ARXIV_INTERVAL_MS = 3000;
const QUERIES = 3;
const GOAL = 'Which host genes make people resistant to malaria, and how could we test them?';

export async function researchLiterature(opts: { modelMs: number; sourceMs: number }) {
  const fakes = { openalex: await fakeOpenAlex(), europepmc: await startFakeEuropePmc(), arxiv: await startFakeArxiv(), crossref: await fakeCrossref() };
  const upstream = await startFakeUpstream({ respond: researchResponder(), latencyMs: opts.modelMs });
  const slow: typeof fetch = async (input, init) => {
    await new Promise((resolve) => setTimeout(resolve, opts.sourceMs));
    return fetch(input, init);
  };
  const source = (url: string, min_interval_ms = 0) => ({ base_url: url, min_interval_ms });
  const server = async (enabled: boolean) =>
    startTestServer({
      env: { OPENROUTER_API_KEY: 'sk-bench-0123456789', LLM_BASE_URL: upstream.url },
      logLevel: 'silent',
      literatureFetch: slow,
      config: {
        cost_control: {
          allowed_models: { development: [FREE] },
          tiers: { anonymous: 'all_allowed' },
          per_session_limit_requests: 1000,
          requests_per_hour_per_ip: 100_000,
        },
        deployment: { max_cycles_per_session: 1000 },
        literature: {
          enabled,
          queries_per_cycle: QUERIES,
          sources: {
            openalex: source(fakes.openalex.url),
            europepmc: source(fakes.europepmc.url),
            arxiv: source(fakes.arxiv.url, ARXIV_INTERVAL_MS),
            crossref: source(fakes.crossref.url),
          },
        },
      },
    });
  const cycle = async (url: string) => {
    const session = (await fetch(`${url}/api/usage`)).headers.get('x-session-id')!;
    const headers = { 'content-type': 'application/json', 'x-session-id': session };
    const t = performance.now();
    const body = JSON.stringify({ goal: GOAL, model: FREE });
    const { id } = (await (await fetch(`${url}/api/research/runs`, { method: 'POST', headers, body })).json()) as { id: string };
    let run: any;
    for (;;) {
      run = await (await fetch(`${url}/api/research/runs/${id}`, { headers })).json();
      if (run.state !== 'queued' && run.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    return { ms: performance.now() - t, lookups: run.cycles[0].lookups as number, records: (run.literature?.records.length ?? 0) as number };
  };
  const searchRequests = () => fakes.openalex.requests.length + fakes.europepmc.requests.length + fakes.arxiv.requests.length;

  const off = await server(false);
  const without = await cycle(off.url);
  await off.close();
  const on = await server(true);
  const before = searchRequests();
  const first = await cycle(on.url);
  const firstSearches = searchRequests() - before;
  const second = await cycle(on.url);
  const secondSearches = searchRequests() - before - firstSearches;
  await on.close();
  await upstream.close();
  await Promise.all(Object.values(fakes).map((f) => f.close()));
  // The literature step's critical path: the queries call, then arXiv's pace over the queries.
  const idealAddedMs = opts.modelMs + (QUERIES - 1) * ARXIV_INTERVAL_MS + opts.sourceMs;
  return { without, first, second, firstSearches, secondSearches, idealAddedMs, cacheHitRate: firstSearches === 0 ? 0 : 1 - secondSearches / firstSearches };
}
