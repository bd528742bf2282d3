import type { Core } from '../../core/core.js';
import type { Slice } from '../../core/store/slice.js';
import type { Feature } from '../../http/feature.js';
import { ResearchService } from './research-service.js';
import { researchRoutes } from './routes.js';
import type { JobsSlice } from '../../core/jobs/job-types.js';
import { findRun, type ResearchState } from './run-store.js';
import { runViews } from './run-view.js';
import { literatureFields } from './run-migrations.js';

/** A source paced slower than this (arXiv: 3 s) is left out of reference title checks, which a quicker one answers. */
const QUICK_SOURCE_MS = 1000;

/** Model calls one research cycle makes at once (reviews, matches, children). */
const PARALLEL_CALLS = 4;

/** Research runs in the state document since schema v3; literature since v8. */
export const researchSlice: Slice<ResearchState> = {
  empty: () => ({ research_runs: {} }),
  migrations: [
    { to: 3, up: (s) => ({ ...s, research_runs: {} }) },
    { to: 8, up: literatureFields },
  ],
};

/** AI co-scientist research runs: a queued job per cycle, live on research:<id>. */
export function mountResearch(core: Core<ResearchState & JobsSlice>): Feature {
  const { config, store } = core;
  const service = new ResearchService({
    store: store,
    clock: core.clock,
    publisher: core.hub,
    metered: core.metered,
    jsonMode: (model) => core.catalog.get(model)?.json_mode ?? false,
    timeoutMs: config.llm.timeouts_seconds.research * 1000,
    parallelCalls: PARALLEL_CALLS,
    runs: core.runs,
    logger: core.logger,
    quotas: core.quotas,
    maxWaitingPerCycle: config.deployment.max_hypotheses_per_cycle,
    serverCall: (model, session) => core.gate.serverCall(model, session),
    chainPrice: (call) => core.metered.chainPrice(call),
    literature: core.literature && {
      ...core.literature,
      queriesPerCycle: config.literature.queries_per_cycle,
      lookupsPerCycle: config.literature.max_lookups_per_cycle,
      titleSources: core.literature.library.sources.filter((name) => config.literature.sources[name].min_interval_ms < QUICK_SOURCE_MS),
    },
  });
  const runView = runViews();
  const topic = 'research:';
  return {
    api: researchRoutes({
      gate: core.gate,
      metered: core.metered,
      priceOf: core.priceOf,
      quotas: core.quotas,
      service,
      maxHypothesesPerCycle: config.deployment.max_hypotheses_per_cycle,
      simulated: core.simulated,
      runView,
    }),
    topics: [
      {
        matches: (t) => t.startsWith(topic),
        snapshot: (t) => {
          const run = findRun(store, t.slice(topic.length));
          return run ? runView(run, undefined) : undefined;
        },
      },
    ],
  };
}
