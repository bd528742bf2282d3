import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const SERVER = fileURLToPath(new URL('./ws-server.ts', import.meta.url));

export interface FanoutResult {
  clients: number;
  events: number;
  delivered: number;
  expected: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  stalledDropped: boolean | null;
}

/** N clients on one topic, E events each; optionally one extra client that never reads. */
export async function wsFanout(clients: number, events: number, withStalled: boolean): Promise<FanoutResult> {
  const child = fork(SERVER, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const { wsUrl } = await new Promise<{ wsUrl: string }>((resolve) => child.once('message', (m) => resolve(m as { wsUrl: string })));
  const delays: number[] = [];
  const sockets: WebSocket[] = [];
  const open = (onMessage: (m: { kind?: string; sent?: number }) => void) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(wsUrl);
      ws.on('message', (data) => onMessage(JSON.parse(data.toString())));
      ws.once('open', () => {
        ws.send(JSON.stringify({ type: 'subscribe', topic: 'queue' }));
        resolve(ws);
      });
      ws.once('error', reject);
    });
  for (let i = 0; i < clients; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, clients - i) }, () =>
        open((m) => {
          if (m.kind === 'bench' && m.sent) delays.push(performance.timeOrigin + performance.now() - m.sent);
        }),
      ),
    );
    sockets.push(...batch);
  }
  let stalled: WebSocket | undefined;
  if (withStalled) {
    stalled = await open(() => undefined);
    (stalled as unknown as { _socket: { pause(): void } })._socket.pause();
  }
  await new Promise((r) => setTimeout(r, 200));
  child.send({ events, intervalMs: 10, bytes: 2048 });
  const done = await new Promise<{ clients: number }>((resolve) =>
    child.on('message', (m) => (m as { done?: boolean }).done && resolve(m as { clients: number })),
  );
  const expected = clients * events;
  const deadline = Date.now() + 10_000;
  while (delays.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const sorted = [...delays].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  for (const ws of sockets) ws.terminate();
  stalled?.terminate();
  child.kill('SIGTERM');
  return {
    clients,
    events,
    delivered: delays.length,
    expected,
    p50Ms: pct(50),
    p99Ms: pct(99),
    maxMs: sorted.at(-1) ?? NaN,
    stalledDropped: withStalled ? done.clients === clients : null,
  };
}
