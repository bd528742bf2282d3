import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { LlmClient } from '../../../../server/core/llm/llm-client.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';
import { systemClock } from '../../../../server/core/clock.js';
import { startFakeUpstream, type FakeUpstream } from '../../../helpers/fake-upstream.js';

// Only loopback is ever contacted: the pinned address is 127.0.0.1, and ".invalid" names never resolve.
const client = () =>
  new LlmClient({ clock: systemClock, logger: pino({ level: 'silent' }), metrics: createMetrics(), priceOf: () => null, cache: { max: 0, ttlMs: 1 } });
const ask = { messages: [{ role: 'user' as const, content: 'hello pin' }], max_tokens: 20 };

let up: FakeUpstream | undefined;
let redirector: Server | undefined;
afterEach(async () => {
  await up?.close();
  await new Promise<void>((r) => (redirector ? redirector.close(() => r()) : r()));
  up = undefined;
  redirector = undefined;
});

describe('pinned fetch for visitors\u2019 endpoints', () => {
  it('connects to the checked address, not to what the name would resolve to (streamed and not)', async () => {
    up = await startFakeUpstream();
    const target = {
      baseUrl: `http://model.labcoat-test.invalid:${up.port}/v1`,
      apiKey: 'sk-visitor-0123456789',
      model: 'test/cheap-model',
      pin: { address: '127.0.0.1', family: 4 as const },
    };
    const plain = await client().chat(target, ask, { timeoutMs: 5000 });
    expect(plain.content).toBe('Echo: hello pin');
    const deltas: string[] = [];
    const streamed = await client().chat(target, ask, { timeoutMs: 5000, onDelta: (t) => deltas.push(t) });
    expect(streamed.content).toBe('Echo: hello pin');
    expect(deltas.length).toBeGreaterThan(1);
    expect(streamed.ttft_ms).not.toBeNull();
    expect(up.requests.at(-1)!.headers.host).toBe(`model.labcoat-test.invalid:${up.port}`);
  });

  it('refuses to follow a redirect, saying where it pointed', async () => {
    redirector = createServer((_req, res) => res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end());
    await new Promise<void>((r) => redirector!.listen(0, '127.0.0.1', r));
    const { port } = redirector.address() as AddressInfo;
    const target = {
      baseUrl: `http://redirect.labcoat-test.invalid:${port}/v1`,
      apiKey: 'sk-visitor-0123456789',
      model: 'x/y',
      pin: { address: '127.0.0.1', family: 4 as const },
    };
    await expect(client().chat(target, ask, { timeoutMs: 5000 })).rejects.toMatchObject({ message: expect.stringContaining('does not follow redirects') });
  });

  it('stops reading an endpoint that sends more than the answer cap, streamed or not', async () => {
    let closed = 0;
    const piece = 'x'.repeat(4096);
    redirector = createServer((req, res) => {
      req.on('close', () => closed++);
      if (req.url?.includes('plain')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const pump = () => {
          while (res.write(`"${piece}",`)) if (res.destroyed) return;
        };
        res.on('drain', pump);
        pump();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const chunk = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`;
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    await new Promise<void>((r) => redirector!.listen(0, '127.0.0.1', () => r()));
    const port = (redirector.address() as AddressInfo).port;
    const pin = { address: '127.0.0.1', family: 4 as const };
    let received = 0;
    const streamed = await client().chat({ baseUrl: `http://endless.labcoat-test.invalid:${port}/v1`, apiKey: 'sk-visitor-0123456789', model: 'm', pin }, ask, {
      timeoutMs: 20_000,
      onDelta: (t) => (received += t.length),
    });
    expect(streamed.error?.code).toBe('upstream_bad_response');
    expect(streamed.error?.message).toMatch(/passed 8 MB/);
    expect(received).toBeLessThan(8 * 1024 * 1024);
    const plain = client().chat({ baseUrl: `http://endless.labcoat-test.invalid:${port}/plain/v1`, apiKey: 'sk-visitor-0123456789', model: 'm', pin }, ask, {
      timeoutMs: 20_000,
    });
    await expect(plain).rejects.toMatchObject({ code: 'upstream_bad_response' });
    await expect.poll(() => closed).toBe(2);
  });
});
