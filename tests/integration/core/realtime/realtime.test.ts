import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { request } from 'node:http';
import type { JobHandler } from '../../../../server/core/jobs/job-types.js';
import { startTestServer, type TestServer } from '../../../helpers/test-server.js';
import { TestSocket } from '../../../helpers/ws-client.js';

let srv: TestServer;
const releases: Array<() => void> = [];
const handlers: Record<string, JobHandler> = {
  wait: (ctx) =>
    new Promise((resolve) => {
      ctx.progress(1, 2, 'started');
      releases.push(() => resolve('ok'));
    }),
};

beforeAll(async () => {
  srv = await startTestServer({
    jobHandlers: handlers,
    config: { realtime: { max_message_kb: 1, max_buffered_kb: 64 }, deployment: { max_concurrent_jobs: 1 } },
  });
});
afterAll(() => srv.close());

describe('WebSocket /ws', () => {
  it('greets, then sends subscribed + snapshot, then live queue and job events', async () => {
    const sock = await TestSocket.open(srv.wsUrl);
    await sock.next((m) => m.type === 'hello');
    sock.send({ type: 'subscribe', topic: 'queue' });
    await sock.next((m) => m.type === 'subscribed' && m.topic === 'queue');
    const snap = await sock.next((m) => m.type === 'snapshot' && m.topic === 'queue');
    expect(snap.data).toMatchObject({ running: 0, queued: 0, max_concurrent_jobs: 1 });

    const running = srv.app.jobs.enqueue('wait', {}, null);
    const queued = srv.app.jobs.enqueue('wait', {}, null);
    const update = await sock.next((m) => m.topic === 'queue' && m.type === 'status' && m.queued === 1);
    expect(update).toMatchObject({ running: 1 });

    // A late subscriber to a job gets its current state first.
    sock.send({ type: 'subscribe', topic: `job:${queued.id}` });
    const jobSnap = await sock.next((m) => m.type === 'snapshot' && m.topic === `job:${queued.id}`);
    expect(jobSnap.data).toMatchObject({ state: 'queued', queue_position: 1 });

    releases.shift()!();
    await sock.next((m) => m.topic === `job:${queued.id}` && m.type === 'progress');
    releases.shift()!();
    await sock.next((m) => m.topic === `job:${queued.id}` && m.type === 'status' && m.state === 'done');
    expect(srv.app.jobs.view(running.id)!.state).toBe('done');
    sock.close();
  });

  it('answers ping, and reports invalid messages and unknown topics without closing', async () => {
    const sock = await TestSocket.open(srv.wsUrl);
    sock.send({ type: 'ping' });
    await sock.next((m) => m.type === 'pong');
    sock.send('not json');
    const bad = await sock.next((m) => m.type === 'error');
    expect(bad.error).toMatchObject({ code: 'invalid_message' });
    sock.send({ type: 'subscribe', topic: 'secrets:all' });
    const unknown = await sock.next((m) => m.type === 'error' && m.topic === 'secrets:all');
    expect(unknown.error).toMatchObject({ code: 'unknown_topic' });
    sock.send({ type: 'ping' });
    expect((await sock.next((m) => m.type === 'pong')).type).toBe('pong');
    sock.close();
  });

  it('closes the socket on a frame larger than max_message_kb (1009)', async () => {
    const sock = await TestSocket.open(srv.wsUrl);
    const closed = sock.closed();
    sock.send({ type: 'subscribe', topic: 'x'.repeat(4000) });
    expect((await closed).code).toBe(1009);
  });

  it('refuses a socket from a foreign origin at the handshake', async () => {
    await expect(TestSocket.open(srv.wsUrl, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const ok = await TestSocket.open(srv.wsUrl, { origin: srv.url });
    ok.close();
  });

  it('drops a socket that stops answering pings', async () => {
    const quick = await startTestServer({ config: { realtime: { heartbeat_seconds: 1 } } });
    const dead = await TestSocket.open(quick.wsUrl, { autoPong: false });
    const alive = await TestSocket.open(quick.wsUrl);
    expect((await dead.closed()).code).toBe(1006); // terminated without a close frame
    expect(alive.ws.readyState).toBe(alive.ws.OPEN);
    alive.close();
    await quick.close();
  });

  it('drops a stalled client while the others get every event', async () => {
    const slow = await TestSocket.open(srv.wsUrl);
    const fast = await TestSocket.open(srv.wsUrl);
    for (const s of [slow, fast]) s.send({ type: 'subscribe', topic: 'queue' });
    await slow.next((m) => m.type === 'snapshot');
    await fast.next((m) => m.type === 'snapshot');
    // Stop reading on the slow client's socket: the kernel buffers fill, then the server's.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'x'.repeat(32 * 1024);
    const before = srv.app.hub.clientCount();
    let sent = 0;
    // Publish until the server gives up on the slow client (kernel buffers first absorb a few MB).
    while (srv.app.hub.clientCount() === before && sent < 3000) {
      srv.app.hub.publish('queue', { type: 'event', kind: 'load', i: sent++, big });
      await new Promise((r) => setImmediate(r));
    }
    expect(srv.app.hub.clientCount()).toBe(before - 1);
    await fast.next((m) => m.kind === 'load' && m.i === sent - 1, 10_000);
    expect(fast.messages.filter((m) => m.kind === 'load')).toHaveLength(sent);
    const metrics = await (await fetch(`${srv.url}/metrics`)).text();
    expect(metrics).toMatch(/labcoat_live_clients_dropped_total\{reason="stalled"\} [1-9]/);
    slow.close();
    fast.close();
  });
});

describe('SSE /api/events', () => {
  it('serves the same hello, snapshot and live messages as the socket', async () => {
    const received: Array<Record<string, unknown>> = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request(`${srv.url}/api/events?topics=queue`, (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          for (let i = buffer.indexOf('\n\n'); i >= 0; i = buffer.indexOf('\n\n')) {
            const frame = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            if (frame.startsWith('data: ')) received.push(JSON.parse(frame.slice(6)));
            if (received.some((m) => m.kind === 'sse-check')) {
              req.destroy();
              resolve();
            }
          }
        });
      });
      req.on('error', (err) => (err.message.includes('aborted') ? resolve() : reject(err)));
      req.end();
    });
    // Publish only once the stream is subscribed (its snapshot arrived), so the event cannot be missed.
    await vi.waitFor(() => expect(received.some((m) => m.type === 'snapshot')).toBe(true));
    srv.app.hub.publish('queue', { type: 'event', kind: 'sse-check' });
    await done;
    expect(received.map((m) => m.type)).toEqual(['hello', 'subscribed', 'snapshot', 'event']);
  });
});
