import { afterEach, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import type { AppError } from '../../../server/core/errors/app-error.js';
import { clientErrorHandler } from '../../../server/http/client-error.js';
import { listen, type Listening } from '../../helpers/listen.js';

let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Sends raw bytes and reads everything the server writes until it closes the socket. */
function rawExchange(port: number, data: string | Buffer, endAfterWrite = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (chunk) => (out += chunk.toString('utf8')));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.write(data);
    if (endAfterWrite) socket.end();
  });
}

function parse(raw: string) {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { statusLine, headers, body: JSON.parse(body) as unknown, rawBody: body };
}

async function start(shapeFor?: (url: string | undefined) => (err: AppError) => unknown, opts = {}) {
  running = await listen(
    (_req, res) => res.end('never'),
    opts,
    (server) => server.on('clientError', clientErrorHandler(shapeFor)),
  );
  return running.port;
}

describe('clientErrorHandler', () => {
  it('answers a garbage request line with 400 in the one JSON error shape, and closes', async () => {
    const port = await start();
    const { statusLine, headers, body, rawBody } = parse(await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n'));
    expect(statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(headers.connection).toBe('close');
    expect(headers['content-length']).toBe(String(Buffer.byteLength(rawBody)));
    expect(body).toEqual({ error: { code: 'bad_request', message: 'The request is not valid HTTP.' } });
  });

  it('answers headers over the size limit with 431', async () => {
    const port = await start(undefined, { maxHeaderSize: 1024 });
    const request = `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(4096)}\r\n\r\n`;
    const { statusLine, body } = parse(await rawExchange(port, request));
    expect(statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(body).toEqual({ error: { code: 'request_header_too_large', message: 'The request headers are too large (16 KB in all at most).' } });
  });

  it('answers a request that never finishes arriving with 408', async () => {
    const port = await start(undefined, { requestTimeout: 200, headersTimeout: 200, connectionsCheckingInterval: 50 });
    const { statusLine, body } = parse(await rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\n'));
    expect(statusLine).toBe('HTTP/1.1 408 Request Timeout');
    expect((body as { error: { code: string } }).error.code).toBe('request_timeout');
  });

  it('uses the shape shapeFor picks (no URL was parsed here)', async () => {
    const seen: (string | undefined)[] = [];
    const port = await start((url) => {
      seen.push(url);
      return (err) => ({ error: { message: err.message, type: err.code } });
    });
    const { body } = parse(await rawExchange(port, '\x00\x01\x02\r\n\r\n'));
    expect(body).toEqual({ error: { message: 'The request is not valid HTTP.', type: 'bad_request' } });
    expect(seen).toEqual([undefined]);
  });
});
