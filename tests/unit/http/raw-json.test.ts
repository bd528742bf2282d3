import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { errorBody } from '../../../server/core/errors/app-error.js';
import { readJsonBody, sendJson } from '../../../server/http/raw-json.js';
import { toAppError } from '../../../server/http/to-app-error.js';
import { listen, type Listening, json } from '../../helpers/listen.js';

const LIMIT = 1024;
let running: Listening;

beforeAll(async () => {
  running = await listen(async (req, res) => {
    try {
      const body = await readJsonBody(req, LIMIT);
      if (req.url === '/headers') return sendJson(res, 201, { ok: true }, { 'X-Extra': 'yes', 'Content-Type': 'text/plain' });
      sendJson(res, 200, { body: body === undefined ? '<not json>' : body });
    } catch (err) {
      const e = toAppError(err);
      sendJson(res, e.status, errorBody(e), e.headers);
    }
  });
});
afterAll(() => running.close());

const post = (body: string | Buffer, headers: Record<string, string>, path = '/') =>
  fetch(`${running.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers });

describe('readJsonBody', () => {
  it('parses a JSON body', async () => {
    const res = await post(JSON.stringify({ a: [1, 'x'] }), { 'Content-Type': 'application/json' });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ body: { a: [1, 'x'] } });
  });

  it.each(['application/json; charset=utf-8', 'application/vnd.api+json', 'APPLICATION/JSON'])('accepts Content-Type %s', async (type) => {
    const res = await post('[1,2]', { 'Content-Type': type });
    expect(await json(res)).toEqual({ body: [1, 2] });
  });

  it.each(['text/plain', 'application/jsonp', 'application/x-www-form-urlencoded'])('returns undefined for Content-Type %s', async (type) => {
    const res = await post('{"a":1}', { 'Content-Type': type });
    expect(await json(res)).toEqual({ body: '<not json>' });
  });

  it('refuses text that is not JSON with 400 invalid_json', async () => {
    const res = await post('{"a":', { 'Content-Type': 'application/json' });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ error: { code: 'invalid_json', message: 'The request body is not valid JSON. Check quotes, commas and brackets.' } });
  });

  it('refuses a body over the limit with 413 payload_too_large', async () => {
    const res = await post(JSON.stringify({ s: 'x'.repeat(LIMIT) }), { 'Content-Type': 'application/json' });
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe('payload_too_large');
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('inflates a %s body', async (encoding, compress) => {
    const res = await post(compress(Buffer.from('{"z":true}')), { 'Content-Type': 'application/json', 'Content-Encoding': encoding });
    expect(await json(res)).toEqual({ body: { z: true } });
  });

  it('applies the limit to the inflated body (a small bomb is refused)', async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ s: ' '.repeat(100_000) })));
    expect(bomb.length).toBeLessThan(LIMIT);
    const res = await post(bomb, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe('payload_too_large');
  });

  it('refuses compressed data that does not inflate with 400 invalid_body', async () => {
    const res = await post(Buffer.from('definitely not gzip'), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ error: { code: 'invalid_body', message: 'The body is not valid gzip data.' } });
  });

  it('refuses an unknown encoding with 415', async () => {
    const res = await post('{}', { 'Content-Type': 'application/json', 'Content-Encoding': 'zstd' });
    expect(res.status).toBe(415);
    expect((await json(res)).error.code).toBe('unsupported_encoding');
  });
});

describe('sendJson', () => {
  it('writes the status, extra headers and a JSON Content-Type and Length that cannot be overridden', async () => {
    const res = await post('{}', { 'Content-Type': 'application/json' }, '/headers');
    expect(res.status).toBe(201);
    expect(res.headers.get('x-extra')).toBe('yes');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength('{"ok":true}')));
    expect(await res.text()).toBe('{"ok":true}');
  });

  it('counts Content-Length in bytes, not characters', async () => {
    const res = await post(JSON.stringify('héllo ✓'), { 'Content-Type': 'application/json' });
    const text = await res.text();
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toEqual({ body: 'héllo ✓' });
  });
});
