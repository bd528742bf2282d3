/**
 * A research run grounded in the literature, end to end: the real app on loopback, the scripted
 * model on the fake upstream, and the four literature APIs as fakes serving their real formats.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { titleKey } from '../../../../server/core/literature/library.js';
import { ARXIV_CORPUS, type FakeArxiv, startFakeArxiv } from '../../../helpers/fake-literature/arxiv.js';
import { crossrefCorpus, type FakeCrossref, fakeCrossref } from '../../../helpers/fake-literature/crossref.js';
import { EUROPEPMC_CORPUS, type FakeEuropePmc, startFakeEuropePmc } from '../../../helpers/fake-literature/europepmc.js';
import { type FakeOpenAlex, fakeOpenAlex, openAlexCorpus } from '../../../helpers/fake-literature/openalex.js';
import { type FakeUpstream, startFakeUpstream } from '../../../helpers/fake-upstream.js';
import { researchResponder } from '../../../helpers/research-fake.js';
import { startTestServer } from '../../../helpers/test-server.js';

const FREE = 'meta-llama/llama-3.3-70b-instruct:free';
const GOAL = 'Which host genes make people resistant to malaria?';
const LOOKUPS = 40;

vi.setConfig({ testTimeout: 60_000 });

type Fakes = { openalex: FakeOpenAlex; europepmc: FakeEuropePmc; arxiv: FakeArxiv; crossref: FakeCrossref };
let fakes: Fakes;
const open: Array<{ close(): Promise<void> }> = [];
beforeEach(async () => {
  fakes = { openalex: await fakeOpenAlex(), europepmc: await startFakeEuropePmc(), arxiv: await startFakeArxiv(), crossref: await fakeCrossref() };
  open.push(...Object.values(fakes));
});
afterEach(async () => {
  for (const x of open.splice(0)) await x.close();
});

/** Every identifier and title the fake sources hold: a verified reference must be one of them. */
function knownWorks(): Set<string> {
  const keys = new Set<string>();
  const add = (kind: string, v: string | undefined) => v && keys.add(`${kind}:${v.toLowerCase()}`);
  for (const w of openAlexCorpus) {
    add('doi', w.ids.doi?.replace('https://doi.org/', ''));
    add('title', w.title ? titleKey(w.title) : undefined);
  }
  for (const a of EUROPEPMC_CORPUS) {
    add('doi', a.doi);
    add('pmid', a.pmid);
    add('title', a.title ? titleKey(a.title.replace(/<[^>]+>/g, '')) : undefined);
  }
  for (const p of ARXIV_CORPUS) {
    add('arxiv', p.versionedId.replace(/v\d+$/, ''));
    add('doi', p.doi);
  }
  for (const w of crossrefCorpus) add('doi', w.DOI);
  return keys;
}

async function setup(overrides: Parameters<typeof researchResponder>[0] = {}) {
  const upstream = await startFakeUpstream({ respond: researchResponder(overrides) });
  const source = (url: string) => ({ base_url: url, min_interval_ms: 0 });
  const server = await startTestServer({
    env: { OPENROUTER_API_KEY: 'sk-or-v1-server-key-0123456789', LLM_BASE_URL: upstream.url },
    config: {
      cost_control: { allowed_models: { development: [FREE] }, tiers: { anonymous: [FREE] }, per_session_limit_requests: 100, requests_per_hour_per_ip: 1000 },
      deployment: { max_cycles_per_session: 5, max_hypotheses_per_cycle: 5 },
      literature: {
        enabled: true,
        contact_email: 'owner@example.org',
        timeout_seconds: 2,
        queries_per_cycle: 2,
        max_lookups_per_cycle: LOOKUPS,
        sources: {
          openalex: source(fakes.openalex.url),
          europepmc: source(fakes.europepmc.url),
          arxiv: source(fakes.arxiv.url),
          crossref: source(fakes.crossref.url),
        },
      },
    },
  });
  open.push(server, upstream);
  const session = (await fetch(`${server.url}/api/usage`)).headers.get('x-session-id')!;
  const api = (path: string, body?: unknown) =>
    fetch(`${server.url}/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Session-ID': session },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { server, upstream, api };
}

const chats = (up: FakeUpstream) => up.requests.filter((r) => r.path === '/v1/chat/completions');
const prompts = (up: FakeUpstream, system: RegExp) =>
  chats(up)
    .filter((r) => system.test(r.body.messages[0].content))
    .map((r) => r.body.messages.map((m: { content: string }) => m.content).join('\n'));

async function finished(api: Awaited<ReturnType<typeof setup>>['api'], id: string): Promise<any> {
  return vi.waitFor(
    async () => {
      const run = (await (await api(`/research/runs/${id}`)).json()) as any;
      expect(run.state).toBe('idle');
      return run;
    },
    { timeout: 40_000, interval: 100 },
  );
}

/** Every reference the page shows: in reviews, debate turns and the overview. */
function allReferences(run: any): any[] {
  return [
    ...run.hypotheses.flatMap((h: any) => h.reviews.flatMap((r: any) => r.references)),
    ...run.matches.flatMap((m: any) => (m.debate ?? []).flatMap((t: any) => t.references ?? [])),
    ...(run.overview?.references ?? []),
  ];
}

describe('a research run grounded in the literature', () => {
  it('searches, cites the excerpts it was given, checks every reference, and stays within its plan and lookup bound', async () => {
    const { upstream, api } = await setup({
      advocate: () => ({ kind: 'ok', content: 'The open-access analysis (doi:10.7717/peerj.4375) shows the data exist.' }),
    });
    // arXiv is down the whole run: the cycles go on with the others and say so.
    fakes.arxiv.mode = 'html';
    const res = await api('/research/runs', { goal: GOAL, model: FREE, hypotheses: 2, cycles: 2, settings: { top_k: 2, debate_pairs: 1, debate_turns: 3 } });
    expect(res.status).toBe(202);
    const started = (await res.json()) as any;
    expect(started.estimate.lookups_max).toBe(2 * LOOKUPS);
    expect(started.estimate.by_step.queries.calls).toBe(2);
    const run = await finished(api, started.id);

    // The plan held: exactly the calls it showed (less the deep reviews of leaders verified in an
    // earlier cycle), and no more lookups than it allowed.
    const skipped = (cycle: number) => run.settings.top_k - run.hypotheses.filter((h: any) => h.deep_review?.cycle === cycle).length;
    expect(chats(upstream)).toHaveLength(started.estimate.calls - skipped(0) - skipped(1));
    for (const c of run.cycles) {
      expect(c.calls).toBe(c.plan.calls - skipped(c.index));
      expect(c.plan.lookups_max).toBe(LOOKUPS);
      expect(c.lookups).toBeGreaterThan(0);
      expect(c.lookups).toBeLessThanOrEqual(c.plan.lookups_max);
      expect(c.steps_done).toContain('literature');
    }

    // The run kept its literature, de-duplicated and numbered.
    const lit = run.literature;
    expect(lit.sources).toEqual(['openalex', 'europepmc', 'arxiv']);
    expect(lit.queries.filter((q: any) => q.cycle === 0).map((q: any) => q.query)).toEqual(['malaria', 'attention transformer']);
    expect(lit.records.length).toBeGreaterThan(2);
    expect(lit.records.map((r: any) => r.n)).toEqual(lit.records.map((_: unknown, i: number) => i + 1));
    expect(new Set(lit.records.map((r: any) => r.id)).size).toBe(lit.records.length);
    expect(lit.notices.filter((n: any) => n.source === 'arxiv').map((n: any) => n.cycle)).toEqual([0, 1]);
    expect(lit.notices[0].message).toMatch(/^arXiv unavailable this cycle/);
    // The second cycle searched again from the cache and was told what was already searched.
    expect(prompts(upstream, /plan literature searches/)[1]).toContain('Already searched');

    // Generation and the grounding strategies read numbered excerpts.
    const generations = prompts(upstream, /proposing research hypotheses/);
    expect(generations).toHaveLength(2);
    for (const p of generations) expect(p).toMatch(/Literature excerpts \(cite them by number\):\n\[1\] /);
    expect(prompts(upstream, /improve research hypotheses/).some((p) => p.includes('Literature excerpts'))).toBe(true);
    expect(prompts(upstream, /peer reviewer/).some((p) => p.includes('Closest prior work'))).toBe(true);

    // Hypotheses cite only records the run has; a verbatim quote is kept, a made-up one dropped and marked.
    const generated = run.hypotheses.filter((h: any) => h.origin === 'generated');
    for (const h of run.hypotheses) for (const n of h.citations) expect(lit.records[n - 1]).toBeDefined();
    expect(generated.every((h: any) => h.citations.length === 2 && h.quotes_dropped === 1 && h.evidence.length === 1)).toBe(true);
    for (const h of generated) expect(lit.records[h.evidence[0].n - 1].abstract).toContain(h.evidence[0].quote);
    expect(generated.every((h: any) => h.assumptions.length > 0 && h.predictions.length > 0 && h.falsification)).toBe(true);
    expect(run.hypotheses.every((h: any) => Array.isArray(h.prior_work))).toBe(true);
    expect(run.hypotheses.some((h: any) => h.prior_work.length > 0)).toBe(true);

    // Every reference shown has a status; every verified one is a real work of a source; every invented one is not found.
    const refs = allReferences(run);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.every((r) => ['verified', 'not_found', 'unverifiable'].includes(r.status))).toBe(true);
    const known = knownWorks();
    const verified = refs.filter((r) => r.status === 'verified');
    expect(verified.length).toBeGreaterThan(0);
    for (const r of verified) {
      const ids = r.record.ids;
      const keys = [`doi:${ids.doi}`, `pmid:${ids.pmid}`, `arxiv:${ids.arxiv}`, `title:${titleKey(r.record.title)}`];
      expect(
        keys.some((k) => known.has(k.toLowerCase())),
        JSON.stringify(r),
      ).toBe(true);
    }
    const invented = refs.filter((r) => r.citation.includes('10.9999/invented'));
    expect(invented.length).toBeGreaterThan(0);
    expect(invented.every((r) => r.status === 'not_found')).toBe(true);
    expect(refs.filter((r) => r.citation === 'Smith et al. 2020').every((r) => r.status === 'unverifiable')).toBe(true);
    // A DOI named in a debate was checked too.
    const debated = run.matches.flatMap((m: any) => (m.debate ?? []).flatMap((t: any) => t.references ?? []));
    expect(debated[0]).toMatchObject({ status: 'verified', via: 'doi', record: { ids: { doi: '10.7717/peerj.4375' } } });

    // Both exports carry the statuses and the methods note.
    const json = (await (await api(`/research/runs/${started.id}/export?format=json`)).json()) as any;
    expect(json.methods).toMatchObject({ enabled: true, sources: ['OpenAlex', 'Europe PMC', 'arXiv'], records: lit.records.length });
    expect(json.methods.references.verified).toBe(verified.length);
    expect(json.methods.references.not_found).toBe(refs.filter((r) => r.status === 'not_found').length);
    expect(json.hypotheses[0].reviews[0].references[0]).toHaveProperty('status');
    const md = await (await api(`/research/runs/${started.id}/export?format=md`)).text();
    expect(md).toContain('(**not found**): Invented A.');
    expect(md).toMatch(/\*\*Methods\.\*\* Searched OpenAlex, Europe PMC and arXiv on \d{4}-\d\d-\d\d with 4 queries over 2 cycles/);
    expect(md).toContain('Cycle 1: arXiv unavailable this cycle');

    // The overview's contacts are authors of records its leaders cite.
    const authors = new Set(lit.records.flatMap((r: any) => r.authors));
    expect(run.overview.contacts.length).toBeGreaterThan(0);
    for (const c of run.overview.contacts) {
      expect(authors.has(c.name)).toBe(true);
      expect(lit.records[c.n - 1].authors).toContain(c.name);
    }
  });

  it('asks once more when the model cites an excerpt it was not given, telling it which numbers it may cite', async () => {
    let first = true;
    const { upstream, api } = await setup({
      generate: () => {
        if (!first) return undefined;
        first = false;
        const h = { title: 'T', statement: 'S.', rationale: 'R.', test: 'X.', citations: [99] };
        return { kind: 'ok', content: JSON.stringify({ hypotheses: [h, h] }) };
      },
    });
    const started = (await (await api('/research/runs', { goal: GOAL, model: FREE, hypotheses: 2, cycles: 1 })).json()) as any;
    const run = await finished(api, started.id);
    const repair = chats(upstream).find((r) => r.body.messages.length > 2)!;
    expect(repair.body.messages.at(-1).content).toMatch(/cite only the excerpt numbers given: 1, 2/);
    expect(run.hypotheses.filter((h: any) => h.origin === 'generated').every((h: any) => !h.citations.includes(99))).toBe(true);
  });

  it('runs a goal no paper matches: no excerpts, no citations, nothing invented as evidence', async () => {
    fakes.arxiv.mode = 'empty';
    fakes.europepmc.mode = 'empty';
    fakes.openalex.switches.mode = 'empty';
    const { upstream, api } = await setup();
    const started = (await (await api('/research/runs', { goal: GOAL, model: FREE, hypotheses: 2, cycles: 1 })).json()) as any;
    const run = await finished(api, started.id);
    expect(run.cycles[0].state).toBe('done');
    expect(run.literature).toMatchObject({ records: [], notices: [] });
    expect(run.literature.queries.every((q: any) => q.found === 0)).toBe(true);
    expect(prompts(upstream, /proposing research hypotheses/)[0]).not.toContain('Literature excerpts');
    expect(run.hypotheses.every((h: any) => h.citations.length === 0 && h.evidence.length === 0 && h.prior_work.length === 0)).toBe(true);
  });

  it('works as before with every source down: the cycle finishes, says so, and references are unverifiable', async () => {
    fakes.arxiv.mode = 'html';
    fakes.europepmc.mode = 'html';
    fakes.openalex.switches.mode = 'html';
    fakes.crossref.switches.mode = 'html';
    const { api } = await setup();
    const started = (await (await api('/research/runs', { goal: GOAL, model: FREE, hypotheses: 2, cycles: 1 })).json()) as any;
    const run = await finished(api, started.id);
    expect(run.cycles[0].state).toBe('done');
    expect(run.literature.records).toEqual([]);
    expect(run.literature.notices.map((n: any) => n.source).sort()).toEqual(['arxiv', 'europepmc', 'openalex']);
    const refs = allReferences(run);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.every((r) => r.status === 'unverifiable')).toBe(true);
  });
});
