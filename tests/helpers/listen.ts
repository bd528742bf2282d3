import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../server/core/log/logger.js';

export interface Listening {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** A request listener (an Express app, or a plain handler) on 127.0.0.1, port 0. */
export async function listen(handler: RequestListener, opts: ServerOptions = {}, setup: (server: Server) => void = () => undefined): Promise<Listening> {
  const server = createServer(opts, handler);
  setup(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A pino logger whose lines the test can read. */
export function capturingLogger(level = 'info'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

/** A response's JSON body, untyped for assertions. */
export async function json(res: Response): Promise<any> {
  return res.json();
}

/**
 * Waits until `check` holds: for what a server does on 'finish', which may come after the client
 * already read the response. Never a timing assertion: it fails only if the condition never holds.
 */
export async function eventually(check: () => boolean | Promise<boolean>, what = 'the condition', limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
