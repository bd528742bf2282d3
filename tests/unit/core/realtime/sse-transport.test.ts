import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { pino } from 'pino';
import { Hub } from '../../../../server/core/realtime/hub.js';
import { sseHandler } from '../../../../server/core/realtime/sse-transport.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';
import { errorMiddleware } from '../../../../server/http/error-middleware.js';
import { eventually, json, listen, type Listening } from '../../../helpers/listen.js';

let running: Listening;
let hub: Hub;
const metrics = createMetrics();

beforeAll(async () => {
  hub = new Hub({ maxBufferedBytes: 1_000_000, maxTopicsPerClient: 5, logger: pino({ level: 'silent' }), metrics });
  hub.addTopic({ matches: (t) => t === 'queue', snapshot: () => ({ waiting: 2 }) });
  hub.addTopic({ matches: (t) => t.startsWith('research:'), snapshot: () => undefined });
  const app = express();
  app.get('/api/events', sseHandler(hub, { version: '9.9.9', heartbeatMs: 40 }));
  app.use(errorMiddleware(pino({ level: 'silent' })));
  running = await listen(app);
});
afterAll(() => running.close());

/** Reads an event stream: `data:` lines parsed, comment lines kept as they are. */
async function openStream(query: string) {
  const abort = new AbortController();
  const res = await fetch(`${running.url}/api/events?${query}`, { signal: abort.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<Record<string, unknown>> = [];
  const comments: string[] = [];
  let buffer = '';
  const pump = async (until: () => boolean) => {
    while (!until()) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith('data: ')) events.push(JSON.parse(block.slice(6)) as Record<string, unknown>);
        else comments.push(block);
      }
    }
  };
  return { res, events, comments, pump, close: () => abort.abort() };
}

describe('sseHandler', () => {
  it('greets, subscribes each topic once (with its snapshot) and streams what is published', async () => {
    const s = await openStream('topics=queue,%20queue%20,research:run_1');
    expect(s.res.status).toBe(200);
    expect(s.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(s.res.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(s.res.headers.get('x-accel-buffering')).toBe('no');
    await s.pump(() => s.events.length >= 4);
    expect(s.events).toEqual([
      { type: 'hello', version: '9.9.9', heartbeat_s: 0, transport: 'sse' },
      { type: 'subscribed', topic: 'queue' },
      { type: 'snapshot', topic: 'queue', data: { waiting: 2 } },
      { type: 'subscribed', topic: 'research:run_1' },
    ]);
    hub.publish('research:run_1', { type: 'event', kind: 'hypothesis', cycle: 0 });
    hub.publish('research:run_other', { type: 'event', kind: 'nope' });
    await s.pump(() => s.events.length >= 5);
    expect(s.events[4]).toEqual({ type: 'event', kind: 'hypothesis', cycle: 0, topic: 'research:run_1' });
    s.close();
  });

  it('reports a topic it cannot open in the stream and goes on with the others', async () => {
    const s = await openStream('topics=nowhere,queue');
    await s.pump(() => s.events.length >= 4);
    expect(s.events[1]).toEqual({ type: 'error', topic: 'nowhere', error: { code: 'unknown_topic', message: 'There is no topic "nowhere".' } });
    expect(s.events[2]).toEqual({ type: 'subscribed', topic: 'queue' });
    s.close();
  });

  it('keeps an idle stream open with comment lines', async () => {
    const s = await openStream('topics=queue');
    await s.pump(() => s.comments.length >= 1);
    expect(s.comments[0]).toBe(': ping');
    s.close();
  });

  it('detaches the client from the hub when it goes away', async () => {
    await eventually(() => hub.clientCount() === 0, 'the earlier streams gone');
    const before = hub.clientCount();
    const s = await openStream('topics=queue');
    await s.pump(() => s.events.length >= 1);
    expect(hub.clientCount()).toBe(before + 1);
    s.close();
    await eventually(() => hub.clientCount() === before, 'the client detached');
    expect(hub.clientCount()).toBe(before);
  });

  it.each([
    ['no topics', ''],
    ['an empty list', 'topics=,%20,'],
    ['more than 20 topics', `topics=${Array.from({ length: 21 }, (_, i) => `t${i}`).join(',')}`],
    ['topics given twice (not a string)', 'topics=queue&topics=queue'],
  ])('refuses %s with 400 invalid_topics before the stream starts', async (_what, query) => {
    const res = await fetch(`${running.url}/api/events?${query}`);
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('invalid_topics');
  });
});
