/** A research run in a real store, and a step context that asks the research fake over HTTP. */
import { pino } from 'pino';
import type { z } from 'zod';
import { type AppStore, openAppStore } from '../../../../server/app-state.js';
import { Ledger } from '../../../../server/core/accounting/ledger.js';
import { MeteredLlm, type ModelCall } from '../../../../server/core/accounting/metered-llm.js';
import { parsePrice } from '../../../../server/core/accounting/pricing.js';
import { type ChatMessage, type ChatRequest, LlmClient } from '../../../../server/core/llm/llm-client.js';
import { chatJson } from '../../../../server/core/llm/structured.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';
import type { Publisher } from '../../../../server/core/realtime/hub.js';
import type { ServerMessage } from '../../../../server/core/realtime/messages.js';
import { researchSettingsSchema } from '../../../../server/features/research/call-plan.js';
import { getRun, persistRun, updateRun } from '../../../../server/features/research/run-store.js';
import type { Cycle, Hypothesis, ResearchRun, RunSettings } from '../../../../server/features/research/run-types.js';
import type { StepContext } from '../../../../server/features/research/step-context.js';
import { newHypothesis } from '../../../../server/features/research/new-hypothesis.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { type FakeUpstream, type RecordedRequest, startFakeUpstream } from '../../../helpers/fake-upstream.js';
import { researchResponder } from '../../../helpers/research-fake.js';
import { makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';

export const MODEL = 'test/cheap-model';
export const PRICE = parsePrice('0.0000001', '0.0000002')!;
export const RUN_ID = 'run_test';
export const SESSION = 's_owner';

export function settings(over: Partial<RunSettings> = {}): RunSettings {
  return {
    ...researchSettingsSchema.parse({}),
    elo_k: 32,
    temperatures: { screen: 0, generate: 0.9, review: 0.2, judge: 0.1, evolve: 0.8, meta: 0.3 },
    ...over,
  };
}

export function cycle(index: number, over: Partial<Cycle> = {}): Cycle {
  return {
    index,
    state: 'running',
    steps_done: [],
    step: null,
    plan: { calls: 50, calls_max: 100, max_usd: 1, lookups_max: 0 },
    last: false,
    calls: 0,
    usd: 0,
    lookups: 0,
    started_at: 0,
    finished_at: null,
    error: null,
    ...over,
  };
}

export function makeRun(over: Partial<ResearchRun> = {}): ResearchRun {
  return {
    id: RUN_ID,
    session_id: SESSION,
    created_at: Date.parse('2026-01-15T12:00:00Z'),
    updated_at: Date.parse('2026-01-15T12:00:00Z'),
    goal: 'Find out how the gut microbiome changes sleep quality in adults.',
    model: MODEL,
    key_mode: 'server',
    settings: settings(),
    state: 'running',
    error: null,
    screening: null,
    plan: null,
    cycles: [cycle(0)],
    hypotheses: [],
    matches: [],
    meta_reviews: [],
    overview: null,
    literature: null,
    notes: [],
    usage: { calls: 0, usd: 0 },
    pending_cycles: 0,
    job_id: null,
    ...over,
  };
}

/** A hypothesis with its own words (so proximity keeps it apart), rated `elo`. */
export function hypothesis(id: string, words: [string, string, string], over: Partial<Hypothesis> = {}): Hypothesis {
  const [a, b, c] = words;
  return {
    ...newHypothesis(
      id,
      0,
      {
        title: `${a} drives ${b}`,
        statement: `Changes in ${a} alter ${b} through ${c}.`,
        rationale: `Known links between ${a} and ${c}.`,
        test: `Measure ${b} while varying ${a}.`,
      },
      'generated',
    ),
    ...over,
  };
}

export const WORDS: [string, string, string][] = [
  ['microbiome', 'sleep', 'bacteria'],
  ['photosynthesis', 'algae', 'light'],
  ['glacier', 'melting', 'albedo'],
  ['neuron', 'plasticity', 'synapse'],
  ['enzyme', 'catalysis', 'temperature'],
  ['volcano', 'magma', 'seismic'],
];

export interface Lab {
  dir: TempDir;
  store: AppStore;
  clock: FakeClock;
  upstream: FakeUpstream;
  llm: LlmClient;
  metered: MeteredLlm;
  ledger: Ledger;
  published: Array<{ topic: string; message: ServerMessage }>;
  publisher: Publisher;
  call: ModelCall;
  /** Puts the run in the store (journaled, as the service does). */
  put(run: ResearchRun): void;
  run(): Readonly<ResearchRun>;
  /** A step context for cycle `cycleIndex` whose calls go to the fake upstream. */
  context(
    cycleIndex?: number,
  ): StepContext & { emitted: Array<{ kind: string; payload: Record<string, unknown> }>; progressed: Array<[string, number, number, string?]> };
  /** What each model request was asked (by its system prompt's step). */
  asked(): RecordedRequest[];
  close(): Promise<void>;
}

/**
 * `thinker`: the model thinks first, as reasoning models do: every answer opens with a long
 * `<think>` block and a line of prose before the JSON.
 */
export async function openLab(overrides: Parameters<typeof researchResponder>[0] = {}, opts: { thinker?: boolean } = {}): Promise<Lab> {
  const dir = await makeTempDir();
  const clock = new FakeClock();
  const logger = pino({ level: 'silent' });
  const store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 1000, clock, logger });
  const scripted = researchResponder(overrides);
  const respond = (rec: RecordedRequest) => {
    const b = scripted(rec);
    return opts.thinker && b?.kind === 'ok' ? { ...b, thinkInline: true as const, preamble: 'Here is my answer after careful thought.\n' } : b;
  };
  const upstream = await startFakeUpstream({ respond });
  const llm = new LlmClient({ clock, logger, metrics: createMetrics(), priceOf: () => PRICE });
  const ledger = new Ledger({ store, clock, logger, capUsd: 10, alertFraction: 0.8, wayOut: '' });
  const metered = new MeteredLlm({ llm, ledger, priceOf: () => PRICE, defaultMaxTokens: 1000 });
  const published: Lab['published'] = [];
  const publisher: Publisher = { publish: (topic, message) => void published.push({ topic, message }) };
  const call: ModelCall = { target: { baseUrl: upstream.url, apiKey: 'test-key', model: MODEL }, fallbacks: [], mode: 'server', session: SESSION, key: null };
  let ids = 0;
  const lab: Lab = {
    dir,
    store,
    clock,
    upstream,
    llm,
    metered,
    ledger,
    published,
    publisher,
    call,
    put(run) {
      store.update((s) => void (s.research_runs[run.id] = structuredClone(run)));
      persistRun(store, run.id);
    },
    run: () => getRun(store, RUN_ID),
    context(cycleIndex = 0) {
      const emitted: Array<{ kind: string; payload: Record<string, unknown> }> = [];
      const progressed: Array<[string, number, number, string?]> = [];
      const send = (req: ChatRequest) => llm.chat(call.target, req, { timeoutMs: 10_000 });
      return {
        emitted,
        progressed,
        run: () => getRun(store, RUN_ID),
        cycle: cycleIndex,
        signal: new AbortController().signal,
        ask: async <S extends z.ZodType>(messages: ChatMessage[], schema: S, opts: { temperature: number; maxTokens: number }) =>
          (await chatJson(send, { messages, temperature: opts.temperature, max_tokens: opts.maxTokens }, schema, { jsonMode: true })).data,
        askText: async (messages, opts) => (await send({ messages, temperature: opts.temperature, max_tokens: opts.maxTokens })).content.trim(),
        update: (fn) => updateRun(store, RUN_ID, clock.now(), fn),
        emit: (kind, payload) => void emitted.push({ kind, payload }),
        progress: (step, done, total, message) => void progressed.push(message === undefined ? [step, done, total] : [step, done, total, message]),
        parallel: (items, fn) => Promise.all(items.map((item, i) => fn(item, i))),
        newId: (prefix) => `${prefix}_${++ids}`,
        random: () => 0, // the newcomer first, as drawn
        literature: null,
      };
    },
    asked: () => upstream.requests.filter((r) => r.path.endsWith('/chat/completions')),
    async close() {
      await store.close();
      await upstream.close();
      await dir.cleanup();
    },
  };
  return lab;
}

/** The system prompt of a recorded request. */
export const systemOf = (r: RecordedRequest): string => String(r.body?.messages?.[0]?.content ?? '');
export const userOf = (r: RecordedRequest): string => String(r.body?.messages?.at(-1)?.content ?? '');
