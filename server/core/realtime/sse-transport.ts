import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { AppError } from '../errors/app-error.js';
import { SubscribeError, type Hub, type Subscriber } from './hub.js';
import { helloMessage } from './messages.js';

const MAX_TOPICS_IN_URL = 20;

/**
 * GET /api/events?topics=a,b — the same topics and messages as /ws, as Server-Sent Events,
 * for networks that break WebSockets. Topics are fixed for the stream's life.
 */
export function sseHandler(hub: Hub, opts: { version: string; heartbeatMs: number }) {
  return (req: Request, res: Response): void => {
    const raw = typeof req.query.topics === 'string' ? req.query.topics : '';
    const topics = [
      ...new Set(
        raw
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    if (topics.length === 0 || topics.length > MAX_TOPICS_IN_URL) {
      throw new AppError(400, 'invalid_topics', `Give 1 to ${MAX_TOPICS_IN_URL} topics, comma-separated: /api/events?topics=queue`);
    }

    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      // no-transform keeps compression and proxies from buffering the stream.
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();

    const sub: Subscriber = {
      id: randomUUID(),
      transport: 'sse',
      topics: new Set(),
      send: (json) => void res.write(`data: ${json}\n\n`),
      bufferedBytes: () => res.writableLength,
      // end() would wait on a reader that stopped reading; destroy frees the socket now.
      close: () => res.destroy(),
    };
    hub.attach(sub);
    sub.send(helloMessage(opts.version, opts.heartbeatMs, 'sse'));
    for (const topic of topics) {
      if (!hub.isAttached(sub)) break; // a snapshot tripped the buffer limit
      try {
        hub.subscribe(sub, topic);
      } catch (err) {
        if (!(err instanceof SubscribeError)) throw err;
        hub.deliver(sub, JSON.stringify({ type: 'error', topic, error: { code: err.code, message: err.message } }));
      }
    }

    // Comment lines keep idle proxies from closing the stream; a stalled reader trips the hub's limit.
    const heartbeat = setInterval(() => {
      if (sub.bufferedBytes() > 0) return;
      res.write(': ping\n\n');
    }, opts.heartbeatMs);
    heartbeat.unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      hub.detach(sub);
    });
  };
}
