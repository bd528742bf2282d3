import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { z } from 'zod';
import { openAppStore, type AppStore } from '../../../../server/app-state.js';
import { systemClock } from '../../../../server/core/clock.js';
import { parseEnv } from '../../../../server/core/config/env.js';
import { configSchema } from '../../../../server/core/config/schema.js';
import { buildCore } from '../../../../server/core/core.js';
import { Catalog, httpModelList } from '../../../../server/core/llm/catalog.js';
import { LlmClient, type CallOptions, type ChatRequest, type LlmClientDeps } from '../../../../server/core/llm/llm-client.js';
import type { Pin } from '../../../../server/core/llm/pinned-fetch.js';
import { chatJson } from '../../../../server/core/llm/structured.js';
import type { UpstreamError } from '../../../../server/core/llm/upstream-error.js';
import { createLogger } from '../../../../server/core/log/logger.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';
import { deriveSecrets } from '../../../../server/core/secrets/secret-key.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { DEFAULT_MODELS, LONG_THINKING, startFakeUpstream, type FakeUpstream } from '../../../helpers/fake-upstream.js';
import { makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';
import { SNAPSHOT } from '../../../helpers/test-server.js';

/** Reasoning models against a fake upstream that thinks: what is sent, what comes back as the answer, what is counted. */

let up: FakeUpstream;
const THINKER = 'test/thinker';
const PRICES: Record<string, { input: number; output: number }> = {
  [THINKER]: { input: 1e-6, output: 2e-6 },
  'test/cheap-model': { input: 1e-6, output: 2e-6 },
};
const THOUGHT = 'Let me think. The user said hello; {"answer": "a draft"} is not it. I should greet them back politely.';

function client(extra: Partial<LlmClientDeps> = {}) {
  return new LlmClient({
    clock: new FakeClock(),
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    priceOf: (m) => PRICES[m] ?? null,
    supportsReasoning: (m) => m === THINKER,
    sleep: async () => undefined,
    ...extra,
  });
}
const WIRES: Array<[string, Pin | undefined]> = [
  ['pooled node:http', undefined],
  ['SDK', { address: '127.0.0.1', family: 4 }],
];
let pin: Pin | undefined;
const target = (model = THINKER) => ({ baseUrl: up.url, apiKey: 'sk-test-0123456789', model, ...(pin ? { pin } : {}) });
const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({ messages: [{ role: 'user', content: 'hello' }], max_tokens: 2000, ...extra });
const opts = (o: Partial<CallOptions> = {}): CallOptions => ({ timeoutMs: 5000, ...o });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as UpstreamError,
  );

beforeAll(async () => {
  up = await startFakeUpstream({
    models: [
      ...DEFAULT_MODELS,
      { id: THINKER, pricing: { prompt: '0.000001', completion: '0.000002' }, supported_parameters: ['reasoning', 'include_reasoning'] },
    ],
  });
});
afterAll(() => up.close());
beforeEach(() => up.reset());

describe.each(WIRES)('reasoning models over the %s wire', (wire, wirePin) => {
  beforeAll(() => {
    pin = wirePin;
  });
  const visitor = wire === 'SDK';

  it(
    visitor
      ? "never sends `reasoning` to a visitor's own endpoint, even for a model the catalog says takes it"
      : 'sends `reasoning` as given to a catalog model that takes it, and to no other model',
    async () => {
      await client().chat(target(), ask({ reasoning: { effort: 'high' } }), opts());
      await client().chat(target(), ask({ reasoning: { max_tokens: 1024 } }), opts());
      await client().chat(target('test/cheap-model'), ask({ reasoning: { effort: 'low' } }), opts());
      await client({ supportsReasoning: undefined }).chat(target(), ask({ reasoning: { effort: 'low' } }), opts());
      expect(up.requests.map((r) => r.reasoning)).toEqual(
        visitor ? [undefined, undefined, undefined, undefined] : [{ effort: 'high' }, { max_tokens: 1024 }, undefined, undefined],
      );
      // Left out, not sent as null: a server that does not know the field never sees it.
      expect(up.requests.filter((r) => 'reasoning' in r.body)).toHaveLength(visitor ? 0 : 2);
    },
  );

  // A visitor's endpoint never gets `reasoning`, fallback or not.
  it.skipIf(visitor)('drops `reasoning` for a fallback that does not take it', async () => {
    up.enqueue({ kind: 'error', status: 404 });
    const r = await client().chat(target(), ask({ reasoning: { effort: 'medium' } }), opts({ fallbacks: ['test/cheap-model'] }));
    expect(r.model).toBe('test/cheap-model');
    expect(up.requests.map((q) => q.reasoning)).toEqual([{ effort: 'medium' }, undefined]);
  });

  it('refuses a thinking budget not below max_tokens before anything is sent', async () => {
    const err = await failure(client().chat(target(), ask({ max_tokens: 1000, reasoning: { max_tokens: 1000 } }), opts()));
    expect(err).toMatchObject({ code: 'upstream_bad_request', billing: 'none' });
    expect(up.requests).toHaveLength(0);
  });

  describe.each(['reasoning', 'reasoning_content'] as const)('thinking in `%s`', (field) => {
    it('keeps the thinking out of the answer and counts it as output (one answer)', async () => {
      up.enqueue({ kind: 'ok', content: 'Hello to you too.', reasoning: { text: THOUGHT, field } });
      const r = await client().chat(target(), ask(), opts());
      expect(up.requests[0]!.body.stream).toBe(false);
      expect(r.content).toBe('Hello to you too.');
      expect(r.usage.reasoning_tokens).toBe(Math.ceil(THOUGHT.length / 4));
    });

    it('never streams the thinking as deltas or adds it to the content, and counts it as output', async () => {
      const pieces: string[] = [];
      up.enqueue({ kind: 'ok', content: 'Hello to you too.', reasoning: { text: THOUGHT, field } });
      const r = await client({ clock: { now: () => Date.now() } }).chat(target(), ask(), opts({ onDelta: (t) => pieces.push(t) }));
      expect(up.requests[0]!.body.stream).toBe(true);
      expect(pieces.join('')).toBe('Hello to you too.');
      expect(r.content).toBe('Hello to you too.');
      expect(r.finish_reason).toBe('stop');
      expect(r.usage.reasoning_tokens).toBe(Math.ceil(THOUGHT.length / 4));
    });

    it('says the model thought but never answered (empty content, streamed or not)', async () => {
      for (const onDelta of [undefined, () => undefined]) {
        up.enqueue({ kind: 'ok', content: '', reasoning: { text: THOUGHT, field }, finish_reason: 'length' });
        const err = await failure(client().chat(target(), ask(), opts(onDelta ? { onDelta } : {})));
        expect(err).toMatchObject({
          status: 502,
          code: 'upstream_bad_response',
          billing: 'unknown',
          message: 'The model used its whole output budget thinking and gave no answer. Raise max tokens or lower the reasoning effort.',
        });
      }
      expect(up.requests).toHaveLength(2); // not retried: the same budget would run out the same way
    });
  });

  it('says so too when the content is null, or when only the usage shows the thinking (hidden reasoning)', async () => {
    up.enqueue(
      { kind: 'ok', content: null, reasoning: { text: THOUGHT, field: 'reasoning' }, finish_reason: 'length' },
      { kind: 'ok', content: '', usage: { prompt_tokens: 5, completion_tokens: 2000, reasoning_tokens: 2000 }, finish_reason: 'length' },
    );
    for (let i = 0; i < 2; i++)
      expect(await failure(client().chat(target(), ask(), opts()))).toMatchObject({ message: expect.stringMatching(/thinking and gave no answer/) });
  });

  it('counts thinking as output: tokens_out is completion_tokens, reasoning_tokens is shown apart, the cost bills both', async () => {
    for (const onDelta of [undefined, () => undefined]) {
      up.enqueue({
        kind: 'ok',
        content: 'Hi.',
        reasoning: { text: THOUGHT, field: 'reasoning' },
        usage: { prompt_tokens: 10, completion_tokens: 500, reasoning_tokens: 480 },
      });
      const r = await client().chat(target(), ask(), opts(onDelta ? { onDelta } : {}));
      expect(r.usage).toEqual({ tokens_in: 10, tokens_out: 500, reasoning_tokens: 480, estimated: false });
      expect(r.cost_usd).toBeCloseTo(10 * 1e-6 + 500 * 2e-6, 12);
    }
  });

  it('never counts less output than the thinking a server reports outside completion_tokens', async () => {
    // Some servers in front of other models report the thinking only in the details and the total.
    up.enqueue({ kind: 'ok', content: 'Hi.', usage: { prompt_tokens: 21, completion_tokens: 1, reasoning_tokens: 60, total_tokens: 82 } });
    expect((await client().chat(target(), ask(), opts())).usage).toEqual({ tokens_in: 21, tokens_out: 61, reasoning_tokens: 60, estimated: false });
    up.enqueue({ kind: 'ok', content: 'Hi.', usage: { prompt_tokens: 21, completion_tokens: 0, reasoning_tokens: 60 } });
    expect((await client().chat(target(), ask(), opts())).usage).toMatchObject({ tokens_out: 60 });
  });

  it('estimates thinking as output when the server reports no usage', async () => {
    for (const onDelta of [undefined, () => undefined]) {
      up.enqueue({ kind: 'ok', content: 'Hi.', reasoning: { text: 'x'.repeat(4000), field: 'reasoning_content' }, usage: null });
      const r = await client().chat(target(), ask(), opts(onDelta ? { onDelta } : {}));
      expect(r.usage).toMatchObject({ tokens_out: 1001, estimated: true });
    }
  });
});

describe('structured output from a model that thinks, through the real client', () => {
  const Verdict = z.object({ winner: z.enum(['A', 'B']), reason: z.string().min(1) });
  const answer = '{"winner": "B", "reason": "clearer"}';
  const send = (req: ChatRequest) => client().chat({ baseUrl: up.url, apiKey: 'k', model: THINKER }, req, { timeoutMs: 5000 });

  it('reads the JSON after a <think> block, a long preamble, or beside a reasoning field, in one call each', async () => {
    up.enqueue(
      { kind: 'ok', content: answer, thinkInline: true },
      { kind: 'ok', content: answer, preamble: 'Weighing A [the first] against B {the second}, I conclude:\n'.repeat(8) },
      { kind: 'ok', content: answer, reasoning: { text: THOUGHT, field: 'reasoning' }, thinkInline: true, preamble: 'Answer: ' },
    );
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await chatJson(send, { messages: [], max_tokens: 2000 }, Verdict, { jsonMode: false }));
    expect(results.map((r) => r.data.winner)).toEqual(['B', 'B', 'B']);
    expect(up.requests).toHaveLength(3);
    // The client hands content over as the model wrote it (the gateway passes it on); only structured output skips the thinking.
    expect(results[0]!.calls[0]!.content).toBe(`<think>\n${LONG_THINKING}\n</think>\n\n${answer}`);
  });

  it('stops after one call with the clear error when the thinking was cut off by max_tokens', async () => {
    up.enqueue({ kind: 'ok', thinkInline: 'unclosed' });
    await expect(chatJson(send, { messages: [], max_tokens: 300, reasoning: { effort: 'low' } }, Verdict, { jsonMode: false })).rejects.toMatchObject({
      code: 'upstream_bad_response',
      message: expect.stringMatching(/whole output budget thinking and gave no answer/),
    });
    expect(up.requests).toHaveLength(1);
    expect(up.requests[0]!.reasoning).toEqual({ effort: 'low' });
  });
});

describe("the core's catalog decides where `reasoning` goes", () => {
  let temp: TempDir;
  let store: AppStore;
  afterAll(async () => {
    await store?.close();
    await temp?.cleanup();
  });

  it('sends it for a model the live list marks with "reasoning", not for one it does not', async () => {
    temp = await makeTempDir('labcoat-reasoning-');
    const logger = createLogger('silent');
    store = await openAppStore({ dataDir: temp.path, flushIntervalMs: 20, clock: systemClock, logger });
    const catalog = new Catalog({ clock: systemClock, logger, snapshot: SNAPSHOT, fetchLive: httpModelList(up.url), refreshMs: 3600_000, timeoutMs: 5000 });
    await catalog.refresh();
    expect(catalog.get(THINKER)?.reasoning).toBe(true);
    expect(catalog.get('test/cheap-model')?.reasoning).toBe(false);
    const core = buildCore({
      config: configSchema.parse({ store: { flush_interval_ms: 20 } }),
      env: parseEnv({ DATA_DIR: temp.path, HOST: '127.0.0.1', PORT: '0' }),
      store,
      secrets: deriveSecrets(Buffer.alloc(32, 7).toString('hex')),
      clock: systemClock,
      logger,
      version: 'test',
      catalog,
      simulated: false,
    });
    up.reset();
    for (const model of [THINKER, 'test/cheap-model'])
      await core.llm.chat({ baseUrl: up.url, apiKey: 'k', model }, ask({ reasoning: { effort: 'high' } }), opts());
    expect(up.requests.map((r) => r.reasoning)).toEqual([{ effort: 'high' }, undefined]);
    core.llm.close();
  });
});
