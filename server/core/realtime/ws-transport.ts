import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { errorBody, type AppError } from '../errors/app-error.js';
import type { Logger } from '../log/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import { SubscribeError, type Hub, type Subscriber } from './hub.js';
import { clientMessageSchema, errorMessage, helloMessage } from './messages.js';

export interface WsTransportOptions {
  hub: Hub;
  path: string;
  version: string;
  heartbeatMs: number;
  maxMessageBytes: number;
  /** The Host allow-list's refusal (421), checked before the origin. */
  hostRefusal(req: IncomingMessage): AppError | undefined;
  isOriginAllowed(req: IncomingMessage): boolean;
  logger: Logger;
  metrics: Metrics;
}

/** The /ws endpoint: origin check at the handshake, heartbeat, JSON protocol into the hub. */
export function attachWebSocket(server: Server, opts: WsTransportOptions): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== opts.path) return refuse(socket, 404);
    const misdirected = opts.hostRefusal(req);
    if (misdirected) {
      opts.logger.warn({ host: req.headers.host?.slice(0, 200) }, 'refused a live socket for an unknown Host');
      return refuse(socket, misdirected.status, JSON.stringify(errorBody(misdirected)));
    }
    if (!opts.isOriginAllowed(req)) {
      opts.logger.warn({ origin: req.headers.origin }, 'refused a live socket from a foreign origin');
      return refuse(socket, 403);
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function onConnection(ws: WebSocket): void {
    const sub: Subscriber = {
      id: randomUUID(),
      transport: 'ws',
      topics: new Set(),
      send: (json) => ws.send(json),
      bufferedBytes: () => ws.bufferedAmount,
      close: (reason) => {
        ws.close(1013, reason.slice(0, 120));
        // A stalled peer never completes the closing handshake; do not wait on it.
        setTimeout(() => ws.terminate(), 1000).unref();
      },
    };
    alive.set(ws, true);
    opts.hub.attach(sub);
    ws.send(helloMessage(opts.version, opts.heartbeatMs, 'ws'));
    ws.on('pong', () => alive.set(ws, true));
    // Only pongs prove the peer reads: a client that sends without reading must not look alive.
    ws.on('message', (data, isBinary) => onMessage(sub, data, isBinary));
    ws.on('close', () => opts.hub.detach(sub));
    ws.on('error', (err) => {
      // Oversized frames and protocol errors land here; ws closes the socket itself.
      opts.logger.debug({ err: err.message, client: sub.id }, 'live socket error');
    });
  }

  function onMessage(sub: Subscriber, data: RawData, isBinary: boolean): void {
    let parsed: unknown;
    try {
      parsed = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      parsed = undefined;
    }
    const msg = clientMessageSchema.safeParse(parsed);
    if (!msg.success) {
      opts.hub.deliver(sub, errorMessage('invalid_message', 'Send JSON like {"type":"subscribe","topic":"queue"}; types: subscribe, unsubscribe, ping.'));
      return;
    }
    const m = msg.data;
    // Replies go through the hub too, so a client that never reads them is dropped like any other.
    if (m.type === 'ping') {
      opts.hub.deliver(sub, JSON.stringify({ type: 'pong' }));
      return;
    }
    try {
      if (m.type === 'subscribe') opts.hub.subscribe(sub, m.topic);
      else opts.hub.unsubscribe(sub, m.topic);
    } catch (err) {
      // Never let one client's message take the process down: it gets an error, the server goes on.
      if (!(err instanceof SubscribeError)) opts.logger.error({ err, topic: m.topic }, 'subscribe failed');
      const e = err instanceof SubscribeError ? err : { code: 'internal_error', message: 'This topic could not be opened. Try again later.' };
      opts.hub.deliver(sub, errorMessage(e.code, e.message, m.topic));
    }
  }

  // A socket that misses a whole heartbeat (no pong) is dead: terminate it.
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.get(ws)) {
        opts.metrics.liveDropped.inc({ reason: 'heartbeat' });
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, opts.heartbeatMs);
  heartbeat.unref();

  return {
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        for (const ws of wss.clients) ws.close(1001, 'server shutting down');
        const force = setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 1000);
        force.unref();
        wss.close(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

/** Answers the handshake with a plain HTTP error and destroys the socket once it is written. */
function refuse(socket: Duplex, status: number, json = ''): void {
  const type = json ? 'Content-Type: application/json; charset=utf-8\r\n' : '';
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n${type}Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
}
