import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { z } from 'zod';
import { LlmClient } from '../../../../server/core/llm/llm-client.js';
import { chatJson, validate } from '../../../../server/core/llm/structured.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';
import { startFakeUpstream, type FakeUpstream } from '../../../helpers/fake-upstream.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

const Hypotheses = z.object({ hypotheses: z.array(z.object({ title: z.string().min(1), statement: z.string() })).min(1) });
let up: FakeUpstream;
const llm = () =>
  new LlmClient({
    clock: new FakeClock(),
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    priceOf: () => ({ input: 1e-6, output: 1e-6 }),
    sleep: async () => undefined,
  });
const target = () => ({ baseUrl: up.url, apiKey: 'k', model: 'test/cheap-model' });
const request = { messages: [{ role: 'user' as const, content: 'Give hypotheses as JSON.' }], max_tokens: 200 };
const good = JSON.stringify({ hypotheses: [{ title: 'T', statement: 'S' }] });

beforeAll(async () => {
  up = await startFakeUpstream();
});
afterAll(() => up.close());
beforeEach(() => up.reset());

describe('structured output', () => {
  it('returns validated JSON from one call, asking for JSON mode when the model supports it', async () => {
    up.enqueue({ kind: 'ok', content: good });
    const r = await chatJson((req) => llm().chat(target(), req, { timeoutMs: 5000 }), request, Hypotheses, { jsonMode: true });
    expect(r.data.hypotheses[0]!.title).toBe('T');
    expect(r.calls).toHaveLength(1);
    expect(up.requests[0]!.body.response_format).toEqual({ type: 'json_object' });
  });

  it('repairs once by showing the model its answer and the validation error', async () => {
    up.enqueue({ kind: 'ok', content: '{"hypotheses": []}' }, { kind: 'ok', content: `Sure!\n\`\`\`json\n${good}\n\`\`\`` });
    const r = await chatJson((req) => llm().chat(target(), req, { timeoutMs: 5000 }), request, Hypotheses, { jsonMode: false });
    expect(r.calls).toHaveLength(2);
    const repair = up.requests[1]!.body.messages as Array<{ role: string; content: string }>;
    expect(repair.at(-2)).toEqual({ role: 'assistant', content: '{"hypotheses": []}' });
    expect(repair.at(-1)!.content).toMatch(/hypotheses: .*at least 1|too small/i);
    expect(up.requests[0]!.body.response_format).toBeUndefined();
  });

  it('fails with upstream_bad_response after the one repair', async () => {
    up.enqueue({ kind: 'ok', content: 'no json here' }, { kind: 'ok', content: '{"broken": ' });
    await expect(chatJson((req) => llm().chat(target(), req, { timeoutMs: 5000 }), request, Hypotheses, { jsonMode: false })).rejects.toMatchObject({
      status: 502,
      code: 'upstream_bad_response',
    });
    expect(up.requests).toHaveLength(2);
  });

  it('validate() tolerates prose and fences, and explains what is wrong', () => {
    expect(validate(`Here you go: ${good} Hope it helps.`, Hypotheses).ok).toBe(true);
    expect(validate('nothing', Hypotheses)).toEqual({ ok: false, problem: 'it contains no JSON object or array' });
    const bad = validate('{"hypotheses":[{"title":""}]}', Hypotheses);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problem).toMatch(/hypotheses\.0\.(title|statement)/);
  });
});
