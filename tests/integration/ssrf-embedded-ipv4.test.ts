import { afterEach, describe, expect, it, vi } from 'vitest';
import net, { type AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

// IPv6 forms of loopback and cloud metadata (issue 14): refused by the guard before any socket opens.
let server: TestServer | undefined;
let trap: net.Server | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close();
  await new Promise<void>((r) => (trap ? trap.close(() => r()) : r()));
  server = trap = undefined;
});

describe('POST /api/batch/connect with an IPv4 address inside an IPv6 literal', () => {
  it('refuses http://[::127.0.0.1]:PORT/v1 and http://[::169.254.169.254]/ without connecting', async () => {
    let accepted = 0;
    trap = net.createServer((socket) => {
      accepted++;
      socket.destroy();
    });
    await new Promise<void>((r) => trap!.listen(0, '127.0.0.1', r));
    const trapPort = (trap.address() as AddressInfo).port;
    server = await startTestServer();
    const serverPort = Number(new URL(server.url).port);
    // Every socket the process opens, but the test's own calls to the app.
    const outgoing: unknown[] = [];
    const connect = net.Socket.prototype.connect;
    vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
      const target = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { host?: string; port?: number | string } | undefined; // net.connect() passes its arguments normalised
      if (Number(target?.port) !== serverPort) outgoing.push(target);
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    });

    for (const [baseUrl, range] of [
      [`http://[::127.0.0.1]:${trapPort}/v1`, 'loopback'],
      ['http://[::169.254.169.254]/', 'linkLocal'],
    ] as const) {
      const res = await fetch(`${server.url}/api/batch/connect`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ base_url: baseUrl, api_key: 'sk-visitor-0123456789', model: 'x/y' }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(Object.keys(body)).toEqual(['error']);
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
      expect(body.error.code).toBe('private_address');
      expect(body.error.message).toContain(`a non-public address (${range})`);
      expect(body.error.message).toContain('ALLOW_PRIVATE_ENDPOINTS=1');
    }
    expect(outgoing).toEqual([]);
    expect(accepted).toBe(0);
  });
});
