import { afterEach, describe, expect, it } from 'vitest';
import express from 'express';
import type { IncomingMessage } from 'node:http';
import { logCompleted, requestId, requestLogging } from '../../../server/http/request-logging.js';
import { capturingLogger, eventually, listen, type Listening } from '../../helpers/listen.js';

let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestId', () => {
  it('echoes an id-shaped X-Request-ID and replaces anything else with a UUID', async () => {
    running = await listen((req, res) => res.end(requestId(req, res)));
    const given = await fetch(running.url, { headers: { 'X-Request-ID': 'client-id.0001' } });
    expect(given.headers.get('x-request-id')).toBe('client-id.0001');
    expect(await given.text()).toBe('client-id.0001');
    for (const bad of ['short', 'has spaces in it', 'x'.repeat(65), '<script>alert(1)</script>']) {
      const res = await fetch(running.url, { headers: { 'X-Request-ID': bad } });
      expect(res.headers.get('x-request-id')).toMatch(UUID);
    }
    expect((await fetch(running.url)).headers.get('x-request-id')).toMatch(UUID);
  });
});

describe('requestLogging', () => {
  async function start() {
    const { logger, lines } = capturingLogger();
    const app = express();
    app.use(requestLogging(logger));
    app.get('/health', (_req, res) => void res.json({ ok: true }));
    app.get('/app.js', (_req, res) => void res.type('js').send(''));
    app.get('/api/ok', (_req, res) => void res.json({ ok: true }));
    app.get('/api/missing', (_req, res) => void res.status(404).json({}));
    app.get('/api/broken', (_req, res) => void res.status(503).json({}));
    app.post('/health', (_req, res) => void res.json({}));
    running = await listen(app);
    return { url: running.url, lines };
  }

  it('writes one line per request with id, method, scrubbed url, status; never headers', async () => {
    const { url, lines } = await start();
    const res = await fetch(`${url}/api/ok?api_key=sk-abcdefghijklmnop&x=1`, {
      headers: { Authorization: 'Bearer sk-verysecretvalue123', 'X-Request-ID': 'trace-12345678' },
    });
    expect(res.headers.get('x-request-id')).toBe('trace-12345678');
    await eventually(() => lines.length >= 1, 'the request line');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({ level: 30, msg: 'request completed', reqId: 'trace-12345678', req: { method: 'GET' }, ip: '127.0.0.1', res: { status: 200 } });
    expect((line.req as { url: string }).url).toBe('/api/ok?api_key=[redacted]&x=1');
    const text = JSON.stringify(line);
    expect(text).not.toContain('verysecret');
    expect(text).not.toContain('abcdefghijklmnop');
    expect(text).not.toContain('authorization');
  });

  it('logs 4xx as warn and 5xx as error', async () => {
    const { url, lines } = await start();
    await fetch(`${url}/api/missing`);
    await fetch(`${url}/api/broken`);
    await eventually(() => lines.length >= 2, 'two request lines');
    expect(lines.map((l) => [l.level, (l.res as { status: number }).status])).toEqual([
      [40, 404],
      [50, 503],
    ]);
  });

  it('keeps quiet about health checks and static files on GET, but not about other methods', async () => {
    const { url, lines } = await start();
    await fetch(`${url}/health`);
    await fetch(`${url}/app.js`);
    await fetch(`${url}/health`, { method: 'POST' });
    // The POST is logged last; the quiet GETs before it never are.
    await eventually(() => lines.some((l) => (l.req as { method: string }).method === 'POST'), 'the POST line');
    expect(lines.map((l) => `${(l.req as { method: string }).method} ${(l.req as { url: string }).url}`)).toEqual(['POST /health']);
  });
});

describe('logCompleted', () => {
  const req = { method: 'POST', url: '/v1/chat?token=abc123' } as IncomingMessage;
  const line = (finished: boolean) => ({ id: 'r-1', ip: () => '10.0.0.1', started: process.hrtime.bigint(), finished });

  it('writes pino-http’s line at the level the status calls for', () => {
    const { logger, lines } = capturingLogger();
    logCompleted(logger, req, 200, line(true));
    logCompleted(logger, req, 429, line(true));
    logCompleted(logger, req, 502, line(false));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [30, 'request completed'],
      [40, 'request completed'],
      [50, 'request aborted'],
    ]);
    expect(lines[0]).toMatchObject({ req: { id: 'r-1', method: 'POST', url: '/v1/chat?token=[redacted]' }, ip: '10.0.0.1', res: { status: 200 } });
    expect(lines[0]!.responseTime).toEqual(expect.any(Number));
  });

  it('does not even ask for the address when the level is off', () => {
    const { logger, lines } = capturingLogger('error');
    let asked = false;
    logCompleted(logger, req, 200, {
      ...line(true),
      ip: () => {
        asked = true;
        return '';
      },
    });
    expect(asked).toBe(false);
    expect(lines).toEqual([]);
  });
});
