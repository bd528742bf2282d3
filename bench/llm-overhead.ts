import { pino } from 'pino';
import { LlmClient } from '../server/core/llm/llm-client.js';
import { createMetrics } from '../server/core/metrics/metrics.js';
import { systemClock } from '../server/core/clock.js';
import { startFakeUpstream } from '../tests/helpers/fake-upstream.js';
import { percentile } from './stats.js';

/** Our client's cost per call over a bare HTTP call to the same fake upstream, and the breaker's fast-fail time. */
export async function llmOverhead(calls = 1000) {
  const up = await startFakeUpstream();
  const client = new LlmClient({
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    priceOf: () => ({ input: 1e-6, output: 2e-6 }),
  });
  const body = { model: 'test/cheap-model', messages: [{ role: 'user' as const, content: 'Say hello to the benchmark.' }], max_tokens: 50, temperature: 0.7 };
  const bare = async () => {
    const res = await fetch(`${up.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify(body),
    });
    await res.json();
  };
  const ours = () =>
    client.chat({ baseUrl: up.url, apiKey: 'k', model: body.model }, { messages: body.messages, max_tokens: 50, temperature: 0.7 }, { timeoutMs: 10_000 });
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  for (let i = 0; i < 200; i++) await Promise.all([bare(), ours()]); // warm-up
  const bareMs: number[] = [];
  const oursMs: number[] = [];
  for (let i = 0; i < calls; i++) {
    bareMs.push(await time(bare));
    oursMs.push(await time(ours));
  }

  // Open a breaker on a dead model, then time calls that fail fast.
  up.enqueue(...Array.from({ length: 20 }, () => ({ kind: 'error' as const, status: 500 })));
  const dead = new LlmClient({
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics(),
    priceOf: () => null,
    sleep: async () => undefined,
  });
  const deadCall = () =>
    dead.chat({ baseUrl: up.url, apiKey: 'k', model: 'dead/model' }, { messages: body.messages }, { timeoutMs: 10_000 }).catch(() => undefined);
  await deadCall();
  await deadCall();
  const n = 10_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await deadCall();
  const fastFailUs = ((performance.now() - t0) / n) * 1000;
  await up.close();
  return {
    bare: { p50: percentile(bareMs, 50), p99: percentile(bareMs, 99) },
    ours: { p50: percentile(oursMs, 50), p99: percentile(oursMs, 99) },
    fastFailUs,
    breaker: dead.breakerState({ baseUrl: up.url, apiKey: 'k', model: 'dead/model' }),
  };
}
