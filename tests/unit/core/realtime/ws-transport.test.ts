import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pino } from 'pino';
import { Hub } from '../../../../server/core/realtime/hub.js';
import { attachWebSocket } from '../../../../server/core/realtime/ws-transport.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';
import { AppError } from '../../../../server/core/errors/app-error.js';
import { capturingLogger, eventually, listen, type Listening } from '../../../helpers/listen.js';
import { TestSocket } from '../../../helpers/ws-client.js';

let running: Listening;
let hub: Hub;
let transport: { close(): Promise<void> };
let wsUrl: string;
const { logger, lines } = capturingLogger('debug');

beforeAll(async () => {
  hub = new Hub({ maxBufferedBytes: 1_000_000, maxTopicsPerClient: 2, logger: pino({ level: 'silent' }), metrics: createMetrics() });
  hub.addTopic({ matches: (t) => t === 'queue', snapshot: () => ({ waiting: 1 }) });
  hub.addTopic({ matches: (t) => t.startsWith('research:'), snapshot: () => undefined });
  running = await listen((_req, res) => res.end('http'));
  transport = attachWebSocket(running.server, {
    hub,
    path: '/ws',
    version: '1.0.0',
    heartbeatMs: 30_000,
    maxMessageBytes: 1024,
    hostRefusal: (req) => (req.headers.host?.startsWith('evil.') ? new AppError(421, 'misdirected_request', 'Unknown host.') : undefined),
    isOriginAllowed: (req) => req.headers.origin === undefined || req.headers.origin === 'https://lab.example',
    logger,
    metrics: createMetrics(),
  });
  wsUrl = `ws://127.0.0.1:${running.port}/ws`;
});
afterAll(async () => {
  await transport.close();
  await running.close();
});

/** The handshake's refusal: status and body. */
function refusal(url: string, opts: WebSocket.ClientOptions = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts);
    ws.once('open', () => reject(new Error('opened')));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', () => undefined);
  });
}

describe('attachWebSocket', () => {
  it('greets, subscribes with snapshot, delivers what is published, and answers ping', async () => {
    const s = await TestSocket.open(wsUrl, { origin: 'https://lab.example' });
    expect(await s.next((m) => m.type === 'hello')).toEqual({ type: 'hello', version: '1.0.0', heartbeat_s: 30, transport: 'ws' });
    s.send({ type: 'subscribe', topic: 'queue' });
    expect(await s.next((m) => m.type === 'snapshot')).toEqual({ type: 'snapshot', topic: 'queue', data: { waiting: 1 } });
    expect(s.messages.map((m) => m.type)).toEqual(['hello', 'subscribed', 'snapshot']);
    hub.publish('queue', { type: 'status', state: 'running' });
    expect(await s.next((m) => m.type === 'status')).toEqual({ type: 'status', state: 'running', topic: 'queue' });
    s.send({ type: 'ping' });
    await s.next((m) => m.type === 'pong');
    s.send({ type: 'unsubscribe', topic: 'queue' });
    await s.next((m) => m.type === 'unsubscribed');
    hub.publish('queue', { type: 'status', state: 'after' });
    s.send({ type: 'ping' });
    await s.next((m) => m.type === 'pong' && s.messages.filter((x) => x.type === 'pong').length === 2);
    expect(s.messages.some((m) => m.state === 'after')).toBe(false);
    s.close();
  });

  it('answers a malformed or unknown message with invalid_message, and keeps the socket', async () => {
    const s = await TestSocket.open(wsUrl);
    for (const bad of ['not json', JSON.stringify({ type: 'shout' }), JSON.stringify({ type: 'subscribe' })]) s.send(bad);
    s.ws.send(Buffer.from('{"type":"ping"}'), { binary: true });
    await s.next(() => s.messages.filter((m) => m.type === 'error').length === 4);
    for (const e of s.messages.filter((m) => m.type === 'error')) expect((e.error as { code: string }).code).toBe('invalid_message');
    s.send({ type: 'ping' });
    await s.next((m) => m.type === 'pong');
    s.close();
  });

  it('reports a topic it cannot open with its code and the topic', async () => {
    const s = await TestSocket.open(wsUrl);
    s.send({ type: 'subscribe', topic: 'nowhere' });
    expect(await s.next((m) => m.type === 'error')).toEqual({
      type: 'error',
      topic: 'nowhere',
      error: { code: 'unknown_topic', message: 'There is no topic "nowhere".' },
    });
    s.send({ type: 'subscribe', topic: 'research:a' });
    s.send({ type: 'subscribe', topic: 'research:b' });
    s.send({ type: 'subscribe', topic: 'research:c' });
    const tooMany = await s.next((m) => m.type === 'error' && m.topic === 'research:c');
    expect((tooMany.error as { code: string }).code).toBe('too_many_topics');
    s.close();
  });

  it('refuses another path with 404, an unknown Host with its error, a foreign origin with 403', async () => {
    expect((await refusal(`ws://127.0.0.1:${running.port}/other`)).status).toBe(404);
    const misdirected = await refusal(wsUrl, { headers: { Host: 'evil.example' } });
    expect(misdirected.status).toBe(421);
    expect(JSON.parse(misdirected.body)).toEqual({ error: { code: 'misdirected_request', message: 'Unknown host.' } });
    expect((await refusal(wsUrl, { origin: 'https://evil.example' })).status).toBe(403);
    expect(lines.some((l) => l.msg === 'refused a live socket from a foreign origin' && l.origin === 'https://evil.example')).toBe(true);
  });

  it('closes a socket that sends a message over the size limit, and detaches it', async () => {
    const before = hub.clientCount();
    const s = await TestSocket.open(wsUrl);
    await s.next((m) => m.type === 'hello');
    expect(hub.clientCount()).toBe(before + 1);
    const closed = s.closed();
    s.send({ type: 'subscribe', topic: 'x'.repeat(2000) });
    expect((await closed).code).toBe(1009);
    await eventually(() => hub.clientCount() === before, 'the client detached');
    expect(hub.clientCount()).toBe(before);
  });
});

describe('close', () => {
  it('closes every client with 1001', async () => {
    const server = await listen((_req, res) => res.end());
    const own = attachWebSocket(server.server, {
      hub,
      path: '/ws',
      version: '1',
      heartbeatMs: 30_000,
      maxMessageBytes: 1024,
      hostRefusal: () => undefined,
      isOriginAllowed: () => true,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics(),
    });
    const s = await TestSocket.open(`ws://127.0.0.1:${server.port}/ws`);
    const closed = s.closed();
    await own.close();
    expect(await closed).toEqual({ code: 1001, reason: 'server shutting down' });
    await server.close();
  });
});
