import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Hub, type SubscribeError, type Subscriber } from '../../../../server/core/realtime/hub.js';
import { createMetrics } from '../../../../server/core/metrics/metrics.js';

function fakeSub(id: string, opts: { stalled?: boolean } = {}) {
  const sent: unknown[] = [];
  let buffered = 0;
  let closed: string | undefined;
  const sub: Subscriber = {
    id,
    transport: 'ws',
    topics: new Set(),
    send: (json) => {
      if (opts.stalled) buffered += json.length;
      else sent.push(JSON.parse(json));
    },
    bufferedBytes: () => buffered,
    close: (reason) => void (closed = reason),
  };
  return { sub, sent, closedWith: () => closed };
}

function makeHub(maxBufferedBytes = 10_000) {
  const hub = new Hub({ maxBufferedBytes, maxTopicsPerClient: 3, logger: pino({ level: 'silent' }), metrics: createMetrics() });
  let state = { count: 0 };
  hub.addTopic({ matches: (t) => t === 'counter', snapshot: () => state });
  hub.addTopic({ matches: (t) => t.startsWith('item:'), snapshot: () => undefined });
  return { hub, setState: (s: { count: number }) => void (state = s) };
}

describe('realtime hub', () => {
  it('sends subscribed, then the snapshot, then live events in order', () => {
    const { hub, setState } = makeHub();
    const a = fakeSub('a');
    hub.attach(a.sub);
    setState({ count: 4 });
    hub.subscribe(a.sub, 'counter');
    hub.publish('counter', { type: 'event', kind: 'tick', n: 5 });
    expect(a.sent).toEqual([
      { type: 'subscribed', topic: 'counter' },
      { type: 'snapshot', topic: 'counter', data: { count: 4 } },
      { type: 'event', kind: 'tick', n: 5, topic: 'counter' },
    ]);
  });

  it('delivers nothing before the changes made before it are on disk, then everything in publish order', async () => {
    let release!: () => void;
    let settled = new Promise<void>((r) => (release = r));
    const hub = new Hub({
      maxBufferedBytes: 10_000,
      maxTopicsPerClient: 3,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics(),
      settled: () => settled,
    });
    let count = 4;
    hub.addTopic({ matches: (t) => t === 'counter', snapshot: () => ({ count }) });
    const a = fakeSub('a');
    hub.attach(a.sub);
    hub.subscribe(a.sub, 'counter');
    count = 5; // changed after the snapshot was built: its event follows the snapshot, no count is lost or repeated
    hub.publish('counter', { type: 'event', kind: 'tick', n: 5 });
    await Promise.resolve();
    expect(a.sent).toEqual([]); // the journal has not synced yet
    release();
    await new Promise((r) => setImmediate(r));
    expect(a.sent).toEqual([
      { type: 'subscribed', topic: 'counter' },
      { type: 'snapshot', topic: 'counter', data: { count: 4 } },
      { type: 'event', kind: 'tick', n: 5, topic: 'counter' },
    ]);
    settled = Promise.reject(new Error('disk full'));
    settled.catch(() => undefined);
    hub.publish('counter', { type: 'event', kind: 'tick', n: 6 });
    await new Promise((r) => setImmediate(r));
    expect(a.sent.at(-1)).toEqual({ type: 'event', kind: 'tick', n: 6, topic: 'counter' }); // a failing journal does not stop the news
  });

  it('delivers only to subscribers of the topic, and stops after unsubscribe', () => {
    const { hub } = makeHub();
    const a = fakeSub('a');
    const b = fakeSub('b');
    hub.attach(a.sub);
    hub.attach(b.sub);
    hub.subscribe(a.sub, 'item:1');
    hub.subscribe(b.sub, 'item:2');
    hub.publish('item:1', { type: 'event', kind: 'x' });
    hub.unsubscribe(a.sub, 'item:1');
    hub.publish('item:1', { type: 'event', kind: 'y' });
    expect(a.sent.filter((m) => (m as { type: string }).type === 'event')).toHaveLength(1);
    expect(b.sent.filter((m) => (m as { type: string }).type === 'event')).toHaveLength(0);
  });

  it('refuses bad, unknown and too many topics with a code', () => {
    const { hub } = makeHub();
    const a = fakeSub('a');
    hub.attach(a.sub);
    const code = (topic: string) => {
      try {
        hub.subscribe(a.sub, topic);
      } catch (err) {
        return (err as SubscribeError).code;
      }
      return 'ok';
    };
    expect(code('no spaces please')).toBe('invalid_topic');
    expect(code('nothing:here')).toBe('unknown_topic');
    expect([code('item:1'), code('item:2'), code('item:3'), code('item:4')]).toEqual(['ok', 'ok', 'ok', 'too_many_topics']);
  });

  it('drops a stalled client and keeps delivering to the others', () => {
    const { hub } = makeHub(1000);
    const slow = fakeSub('slow', { stalled: true });
    const fast = fakeSub('fast');
    hub.attach(slow.sub);
    hub.attach(fast.sub);
    hub.subscribe(slow.sub, 'item:1');
    hub.subscribe(fast.sub, 'item:1');
    for (let i = 0; i < 100; i++) hub.publish('item:1', { type: 'event', kind: 'row', i, pad: 'x'.repeat(50) });
    expect(slow.closedWith()).toMatch(/too slow/);
    expect(fast.sent.filter((m) => (m as { type: string }).type === 'event')).toHaveLength(100);
    expect(hub.clientCount()).toBe(1);
  });
});
