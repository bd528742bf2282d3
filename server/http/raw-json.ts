/**
 * JSON in and out of a plain node:http request, for the gateway's hot path (no Express layers).
 * Failures are AppErrors with the codes express.json gives elsewhere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import getRawBody from 'raw-body';
import { AppError } from '../core/errors/app-error.js';
import { toAppError } from './to-app-error.js';

const JSON_TYPE = /^application\/([\w.+-]*\+)?json\s*(;|$)/i;
const INFLATE: Record<string, () => Transform> = { gzip: createGunzip, deflate: createInflate, br: createBrotliDecompress };

/** The parsed body; undefined when it is not JSON by its Content-Type (the caller says what to send). */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    req.resume();
    return undefined;
  }
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const inflate = INFLATE[encoding];
  if (encoding !== 'identity' && !inflate) throw new AppError(415, 'unsupported_encoding', 'Send the body uncompressed or gzip, deflate or br encoded.');
  // The limit applies to the inflated body: a small compressed bomb is refused like a large body.
  const body: Readable = inflate ? pipeline(req, inflate(), () => undefined) : req;
  let text: string;
  try {
    text = await getRawBody(body, { limit: limitBytes, ...(inflate ? {} : { length: req.headers['content-length'] }), encoding: 'utf8' });
  } catch (err) {
    // raw-body's own errors carry a type; anything else from an inflating stream is bad compressed data.
    if (inflate && (err as { type?: unknown }).type === undefined) throw new AppError(400, 'invalid_body', `The body is not valid ${encoding} data.`);
    throw toAppError(err); // raw-body's types (entity.too.large, request.aborted) map as body-parser's do
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError(400, 'invalid_json', 'The request body is not valid JSON. Check quotes, commas and brackets.');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
