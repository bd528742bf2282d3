/** `npm run bench`: prints numbers against the budgets in DESIGN.md. Measures only; never fails on a number. */
import { coldStart } from './cold-start.js';
import { journalLines, storeBurst } from './store-burst.js';
import { pageSize } from './page-size.js';
import { wsFanout } from './ws-fanout.js';
import { llmOverhead } from './llm-overhead.js';
import { chatRouteOverhead, costDecisions } from './cost-decisions.js';
import { researchCycle } from './research-cycle.js';
import { researchLiterature } from './research-literature.js';
import { batchRun } from './batch-run.js';
import { gatewayOverhead } from './gateway.js';
import { regexChecks } from './regex-checks.js';
import { literatureLookups } from './literature.js';

const f = (n: number, d = 1) => n.toFixed(d);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log('Labcoat benchmarks (budgets from DESIGN.md)\n');

const cold = await coldStart(5);
console.log(
  `cold start → first /health 200: median ${f(median(cold.startMs))} ms, min ${f(Math.min(...cold.startMs))} ms over ${cold.startMs.length} runs (budget < 1000 ms)`,
);
console.log(`idle RSS after start: ${f(cold.idleRssMb)} MB (budget < 100 MB)`);

for (const n of [1_000, 10_000]) {
  const s = await storeBurst(n);
  console.log(
    `store: ${s.updates} updates in a burst → ${s.writes} file writes in ${f(s.ms)} ms (${f(s.updates / s.writes, 0)} updates per write, state ${f(s.fileKb, 0)} KB)`,
  );
}

const journal = await journalLines(500, 1000);
console.log(
  `store journal (durable before announced): one line persisted and waited for, in sequence: p50 ${f(journal.p50Ms, 2)} ms, p99 ${f(journal.p99Ms, 2)} ms; ` +
    `${journal.together.toLocaleString('en')} lines made together → ${journal.writes} synced write${journal.writes === 1 ? '' : 's'}`,
);

const page = await pageSize();
console.log(`page shell: ${page.initial.files} files, ${f(page.initial.rawKb)} KB raw, ${f(page.initial.gzipKb)} KB gzipped`);
console.log(`page, first visit to the heaviest tab (${page.heaviestVisit.tab}): ${f(page.heaviestVisit.gzipKb)} KB gzipped (budget < 60 KB)`);
console.log(`page, with every on-demand module: ${page.all.files} files, ${f(page.all.gzipKb)} KB gzipped`);

await wsFanout(200, 20, false); // warm-up, so both measured runs start equally warm
const base = await wsFanout(1000, 100, false);
const stalled = await wsFanout(1000, 100, true);
for (const [label, r] of [
  ['1,000 clients', base],
  ['1,000 clients + 1 stalled', stalled],
] as const) {
  console.log(
    `ws fan-out, ${label}: ${r.delivered}/${r.expected} delivered, delay p50 ${f(r.p50Ms, 2)} ms, p99 ${f(r.p99Ms, 2)} ms, max ${f(r.maxMs, 2)} ms` +
      (r.stalledDropped === null ? '' : `, stalled client ${r.stalledDropped ? 'dropped' : 'still connected'}`),
  );
}
console.log(`ws p99 with a stalled client / without: ${f(stalled.p99Ms / base.p99Ms, 2)}x (1.0 = unaffected)`);

const llm = await llmOverhead(1000);
console.log(
  `LLM client vs bare HTTP (fake upstream, 1,000 sequential calls): p50 ${f(llm.ours.p50, 2)} vs ${f(llm.bare.p50, 2)} ms (+${f(llm.ours.p50 - llm.bare.p50, 2)} ms), ` +
    `p99 ${f(llm.ours.p99, 2)} vs ${f(llm.bare.p99, 2)} ms (+${f(llm.ours.p99 - llm.bare.p99, 2)} ms)`,
);
console.log(`open breaker fails fast in ${f(llm.fastFailUs, 1)} µs per call (breaker ${llm.breaker})`);

const cost = await costDecisions();
const route = await chatRouteOverhead(1000);
const routeOverheadUs = (route.ours.p50 - route.direct.p50) * 1000;
console.log(
  `cost rules per call (quota admit + reserve + settle, ${cost.n.toLocaleString('en')} calls, 1,000 in flight): p50 ${f(cost.p50Us, 1)} µs, p99 ${f(cost.p99Us, 1)} µs`,
);
console.log(
  `POST /api/chat on the server key vs the upstream directly: p50 ${f(route.ours.p50, 2)} vs ${f(route.direct.p50, 2)} ms (+${f(routeOverheadUs / 1000, 2)} ms); ` +
    `the cost rules are ${f((cost.p50Us / routeOverheadUs) * 100, 1)}% of that overhead and ${f((cost.p50Us / 500) * 100, 1)}% of the 0.5 ms gateway budget`,
);

const research = await researchCycle(200, 5);
console.log(
  `research cycle (${research.calls} calls), engine overhead at 0 ms per call: median ${f(research.overheadMs, 1)} ms per cycle (${f(research.overheadMs / research.calls, 2)} ms per call)`,
);
console.log(
  `research cycle at ${research.latencyMs} ms per call: ${f(research.slowMs, 0)} ms vs critical path ${research.criticalPathMs} ms (${research.criticalCalls} calls in sequence): ${f(research.slowMs / research.criticalPathMs, 2)}x; all calls in sequence would take ${research.calls * research.latencyMs} ms`,
);

const cycleLit = await researchLiterature({ modelMs: 200, sourceMs: 300 });
console.log(
  `research cycle with literature (model 200 ms, sources 300 ms, arXiv one request per 3 s, ${cycleLit.first.records} records, ${cycleLit.first.lookups} lookups): ` +
    `${f(cycleLit.first.ms, 0)} ms vs ${f(cycleLit.without.ms, 0)} ms without, +${f(cycleLit.first.ms - cycleLit.without.ms, 0)} ms against the literature step's ideal +${cycleLit.idealAddedMs} ms (${f((cycleLit.first.ms - cycleLit.without.ms) / cycleLit.idealAddedMs, 2)}x); ` +
    `the same goal again: ${f(cycleLit.second.ms, 0)} ms, ${cycleLit.secondSearches} of ${cycleLit.firstSearches} search requests sent (cache hit rate ${f(cycleLit.cacheHitRate * 100, 0)}%)`,
);

const batch = await batchRun({ latencyMs: 200, concurrency: 4, bigPrompts: 1000 });
const paced = batch.paced;
console.log(
  `batch run, ${paced.total} prompts at concurrency 4, fake upstream at 200 ms: ${f(paced.wallMs, 0)} ms from POST to done vs ideal ${batch.idealMs} ms: ${f(paced.wallMs / batch.idealMs, 3)}x (budget within 1.05x); ` +
    `the same calls straight to the upstream with fetch: ${f(paced.directMs!, 0)} ms (runner ${f(paced.wallMs / paced.directMs!, 3)}x of that); ${paced.ok}/${paced.total} ok; ${paced.writes} state.json writes`,
);
const big = batch.big;
console.log(
  `batch run, ${big.total} prompts (~1,200-character streamed answers) at 0 ms: ${f(big.wallMs, 0)} ms, ${big.writes} state.json writes (${f(big.total / big.writes, 0)} results per write); ` +
    `heap kept after the run +${f(big.keptHeapMb, 1)} MB, process RSS ${f(big.rssMb, 0)} MB, state ${f(big.stateKb, 0)} KB`,
);

const rx = regexChecks(1000, 10_000);
console.log(
  `regex checks, ${rx.n.toLocaleString('en')} × (a|a)*$ on ${rx.chars.toLocaleString('en')} characters on RE2: ${f(rx.checksMs, 0)} ms as a run makes them (${f(rx.checksMs / rx.n, 2)} ms a check: compile, vm deadline, match), ` +
    `${f(rx.matchMs, 0)} ms matching alone; the old ceiling was ${rx.ceilingMs.toLocaleString('en')} ms (backtracking to the 20 ms deadline each time: one native run stopped after ${f(rx.nativeMs, 1)} ms)`,
);

const lit = await literatureLookups({ latencyMs: 300, queries: ['malaria', 'attention', 'open access'] });
console.log(
  `literature, 3 queries on 3 sources at once, each answering in 300 ms: ${f(lit.first.ms, 0)} ms vs ${f(lit.idealMs, 0)} ms ideal ` +
    `(${f(lit.first.ms / lit.idealMs, 2)}x; arXiv's one request per 3 s sets the pace), ${lit.first.records} records; ` +
    `the same queries again: ${f(lit.second.ms, 1)} ms, cache hit rate ${f(lit.cacheHitRate * 100, 0)}%`,
);

// Three processes: the fake upstream, Labcoat as npm start runs it (info logging), this one making the load.
for (const g of await gatewayOverhead()) {
  const kind = g.model.endsWith(':free') ? 'free model, no reservation' : 'paid model: reserve (journal or headroom), settle';
  console.log(
    `gateway (${kind}) vs the upstream directly: p50 ${f(g.gateway.p50, 2)} vs ${f(g.direct.p50, 2)} ms (+${f(g.gateway.p50 - g.direct.p50, 2)} ms; budget +0.5), ` +
      `p99 ${f(g.gateway.p99, 2)} vs ${f(g.direct.p99, 2)} ms; first streamed token +${f(g.gateway.ttft - g.direct.ttft, 2)} ms (budget +1); ` +
      `50 concurrent: ${f(g.gateway.rps, 0)} vs ${f(g.direct.rps, 0)} req/s, ${f((g.gateway.rps / g.direct.rps) * 100, 0)}% of direct (budget ≥ 30%)`,
  );
}
