import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { testConnection } from '../../../../server/features/batch/connection-test.js';
import { LlmClient } from '../../../../server/core/llm/llm-client.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { type FakeUpstream, type FakeUpstreamOptions, startFakeUpstream } from '../../../helpers/fake-upstream.js';

let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

const llm = new LlmClient({ clock: new FakeClock(), logger: pino({ level: 'silent' }), metrics: createMetrics(), priceOf: () => null });
const PIN = { address: '127.0.0.1', family: 4 as const };

async function start(opts: FakeUpstreamOptions = {}) {
  upstream = await startFakeUpstream(opts);
  return { baseUrl: upstream.url, pin: PIN };
}

describe('testConnection', () => {
  it('makes one small call with the key and lists the endpoint’s models', async () => {
    const endpoint = await start({
      requireKey: 'visitor-key',
      respond: () => ({ kind: 'ok', content: 'ready', usage: { prompt_tokens: 9, completion_tokens: 1 } }),
    });
    const report = await testConnection(llm, endpoint, 'visitor-key', 'test/cheap-model', 5000);
    expect(report).toMatchObject({
      ok: true,
      base_url: endpoint.baseUrl,
      model: 'test/cheap-model',
      reply: 'ready',
      usage: { tokens_in: 9, tokens_out: 1, estimated: false },
      models: ['test/free-model', 'test/cheap-model'],
    });
    expect(report.latency_ms).toEqual(expect.any(Number));
    const chat = upstream!.requests.find((r) => r.path === '/v1/chat/completions')!;
    expect(chat.body).toMatchObject({
      model: 'test/cheap-model',
      max_tokens: 8,
      temperature: 0,
      messages: [{ role: 'user', content: 'Reply with one word: ready' }],
    });
    expect(upstream!.requests.every((r) => r.headers.authorization === 'Bearer visitor-key')).toBe(true);
  });

  it('cuts a long reply to 200 characters and lists at most 500 models', async () => {
    const models = Array.from({ length: 600 }, (_, i) => ({ id: `m/${i}` }));
    const endpoint = await start({ models, respond: () => ({ kind: 'ok', content: 'x'.repeat(1000) }) });
    const report = await testConnection(llm, endpoint, 'k', 'm/1', 5000);
    expect(report.reply).toHaveLength(200);
    expect(report.models).toHaveLength(500);
    expect(report.models![499]).toBe('m/499');
  });

  it('reports null models when the list is not one it can read (the chat call is the real test)', async () => {
    const endpoint = await start({ models: [{ id: 'x'.repeat(201) }], respond: () => ({ kind: 'ok', content: 'ready' }) });
    expect((await testConnection(llm, endpoint, 'k', 'm/1', 5000)).models).toBeNull();
  });

  it('throws the client’s typed error for a wrong key', async () => {
    const endpoint = await start({ requireKey: 'right' });
    const err = await testConnection(llm, endpoint, 'wrong', 'm/1', 5000).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: expect.any(Number), code: expect.any(String) });
    expect((err as { code: string }).code).toMatch(/key|auth/);
  });
});
