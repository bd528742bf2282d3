/**
 * Runs one cycle of a research run as a job: its steps in order, each finished step recorded, so
 * an interrupted cycle resumes after its last finished step. Every model call goes through the
 * metered client (the cap and the ledger) and is counted in the run's usage.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log/logger.js';
import type { MeteredLlm, ModelCall } from '../../core/accounting/metered-llm.js';
import type { ChatMessage, ChatRequest } from '../../core/llm/llm-client.js';
import { splitThinking } from '../../core/llm/reasoning.js';
import { REASONING_TOKENS } from './call-plan.js';
import { chatJson } from '../../core/llm/structured.js';
import { roundUsd } from '../../core/accounting/pricing.js';
import type { Publisher } from '../../core/realtime/hub.js';
import type { JobContext } from '../../core/jobs/job-types.js';
import { getRun, updateRun, type ResearchStore } from './run-store.js';
import { AppError } from '../../core/errors/app-error.js';
import type { CycleStep, ResearchRun } from './run-types.js';
import type { StepContext } from './step-context.js';
import { screenGoal } from './steps/screen.js';
import { generate } from './steps/generate.js';
import { review } from './steps/review.js';
import { tournament } from './steps/tournament.js';
import { evolve } from './steps/evolve.js';
import { deepReview } from './steps/deep-review.js';
import { flagDuplicates } from './steps/proximity.js';
import { metaReview } from './steps/meta-review.js';
import { overview } from './steps/overview.js';
import { searchLiterature } from './steps/literature.js';
import { hasInput, screenInput } from './steps/screen-input.js';
import { cycleLiterature, type LiteratureAccess } from './cycle-literature.js';
import { LookupBudget } from './lookup-budget.js';

export interface CycleDeps {
  store: ResearchStore;
  clock: Clock;
  publisher: Publisher;
  metered: MeteredLlm;
  /** Whether the model takes response_format (the catalog says). */
  jsonMode(model: string): boolean;
  timeoutMs: number;
  /** Model calls one cycle makes at once (reviews, matches, children). */
  parallelCalls: number;
  logger: Logger;
  /** The core's literature library (null with literature off). */
  literature: LiteratureAccess | null;
}

export class GoalRefused extends Error {}

const STEPS: Array<[CycleStep, (ctx: StepContext) => unknown]> = [
  ['generate', generate],
  ['review', review],
  ['tournament', tournament],
  ['deep_review', deepReview],
  ['evolve', evolve],
  ['proximity', flagDuplicates],
  ['meta_review', metaReview],
];

export async function runCycle(
  runId: string,
  cycleIndex: number,
  call: ModelCall,
  deps: CycleDeps,
  job: Pick<JobContext, 'signal' | 'progress'>,
): Promise<void> {
  const ctx = stepContext(runId, cycleIndex, call, deps, job.signal);
  const progressUpdate = (fn: (run: ResearchRun) => void) => updateRun(deps.store, runId, deps.clock.now(), fn, ['cycles']);
  const cycle = () => ctx.run().cycles[cycleIndex]!;
  // The screen runs until the goal has passed it once (a run cancelled during it is screened again).
  const screened = ctx.run().screening?.allowed === true && !cycle().steps_done.includes('screen');
  const steps = [
    ...(screened ? [] : ([['screen', screenGoal]] as typeof STEPS)),
    // The scientist's input for this cycle passes the same screen first (planned when it was there).
    ...(hasInput(ctx.run(), cycleIndex) || cycle().steps_done.includes('screen_input') ? ([['screen_input', screenInput]] as typeof STEPS) : []),
    // With literature off (or a run started without it), the cycle is what it was before.
    ...(ctx.literature ? ([['literature', searchLiterature]] as typeof STEPS) : []),
    ...STEPS,
    ...(cycle().last ? ([['overview', overview]] as typeof STEPS) : []),
  ];
  // A step never runs after a later one finished (a cycle begun before a step existed resumes in order).
  const lastDone = Math.max(-1, ...steps.map(([name], i) => (cycle().steps_done.includes(name) ? i : -1)));
  for (const [i, [name, step]] of steps.entries()) {
    if (i <= lastDone) continue;
    progressUpdate((r) => void (r.cycles[cycleIndex]!.step = name));
    job.progress(cycle().steps_done.length, steps.length, name);
    const outcome = await step(ctx);
    if (name === 'screen' && outcome === false) throw new GoalRefused(ctx.run().screening?.reason ?? 'The goal was refused.');
    progressUpdate((r) => void r.cycles[cycleIndex]!.steps_done.push(name));
    await deps.store.durable(); // a finished step is on disk before the next one spends anything
  }
  job.progress(steps.length, steps.length, 'done');
}

function stepContext(runId: string, cycle: number, call: ModelCall, deps: CycleDeps, jobSignal: AbortSignal): StepContext {
  const { store, clock, publisher, metered } = deps;
  const topic = `research:${runId}`;
  const update = (fn: Parameters<StepContext['update']>[0]) => updateRun(store, runId, clock.now(), fn);
  // Aborted when a parallel call of the current step fails, so its siblings stop too.
  let step = new AbortController();
  const signal = () => AbortSignal.any([jobSignal, step.signal]);
  // What the Space's ledger is charged is also the run's cost; on a visitor's key, what the provider reported.
  const send = async (req: ChatRequest) => {
    const c = getRun(store, runId).cycles[cycle]!;
    // The plan is a promise to the visitor: never one call more than it showed.
    if (c.calls >= c.plan.calls_max)
      throw new AppError(500, 'plan_exceeded', 'This cycle reached the number of calls it planned; it stops here. Resume it to continue.');
    tally(1, 0);
    const result = await metered.chat(call, req, { timeoutMs: deps.timeoutMs, signal: signal(), retryUnknown: false, onCharge: (usd) => tally(0, usd) });
    if (call.mode === 'byok') tally(0, result.cost_usd ?? 0);
    return result;
  };
  const tally = (calls: number, usd: number) =>
    updateRun(
      store,
      runId,
      clock.now(),
      (r) => {
        const c = r.cycles[cycle]!;
        for (const u of [r.usage, c]) {
          u.calls += calls;
          u.usd = roundUsd(u.usd + usd);
        }
      },
      ['usage', 'cycles'],
    );
  // A run that lets the model think first gives every call that many more output tokens, as its plan priced.
  const thinking = REASONING_TOKENS[getRun(store, runId).settings.reasoning ?? 'off'];
  const request = (messages: ChatMessage[], opts: { temperature: number; maxTokens: number }): ChatRequest => ({
    messages,
    temperature: opts.temperature,
    max_tokens: opts.maxTokens + thinking,
    ...(thinking > 0 ? { reasoning: { max_tokens: thinking } } : {}),
  });
  return {
    run: () => getRun(store, runId),
    cycle,
    signal: jobSignal,
    ask: async (messages, schema, opts) => {
      const { data } = await chatJson(send, request(messages, opts), schema, { jsonMode: deps.jsonMode(call.target.model) });
      return data;
    },
    // Inline thinking (<think>…</think>) is never part of a debate turn.
    askText: async (messages, opts) => splitThinking((await send(request(messages, opts))).content).answer.trim(),
    update,
    emit: (kind, payload) => publisher.publish(topic, { type: 'event', kind, cycle, ...payload }),
    progress: (name, done, total, message) => publisher.publish(topic, { type: 'progress', step: name, done, total, ...(message ? { message } : {}) }),
    parallel: async (items, fn) => {
      try {
        return await mapLimit(items, deps.parallelCalls, fn, step);
      } finally {
        step = new AbortController();
      }
    },
    newId: (prefix) => `${prefix}_${randomBytes(5).toString('base64url')}`,
    random: Math.random,
    literature: deps.literature && getRun(store, runId).literature ? cycleLiterature(deps.literature, lookupBudget(store, runId, cycle, clock)) : null,
  };
}

/** The cycle's literature requests, bounded by its plan and counted on the cycle (a resumed one goes on counting). */
function lookupBudget(store: ResearchStore, runId: string, cycle: number, clock: Clock): LookupBudget {
  const c = () => getRun(store, runId).cycles[cycle]!;
  return new LookupBudget(
    c().plan.lookups_max,
    () => c().lookups,
    (made) => updateRun(store, runId, clock.now(), (r) => void (r.cycles[cycle]!.lookups += made), ['cycles']),
  );
}

/**
 * Runs fn over items with at most `limit` in flight. On the first failure the others are aborted
 * (through `abort`) and awaited, so no call of a failed step is still running when it reports.
 */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>, abort: AbortController): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { err: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (err) {
        failure ??= { err };
        abort.abort(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.err;
  return results;
}
