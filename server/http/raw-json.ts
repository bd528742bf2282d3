/**
 * JSON in and out of a plain node:http request, for the gateway's hot path (no Express layers).
 * Failures are AppErrors with the codes express.json gives elsewhere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';
import { AppError, toAppError } from './app-error.js';

const JSON_TYPE = /^application\/([\w.+-]*\+)?json\s*(;|$)/i;

/** The parsed body; undefined when it is not JSON by its Content-Type (the caller says what to send). */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '')) {
    req.resume();
    return undefined;
  }
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding !== 'identity') throw new AppError(415, 'unsupported_encoding', 'Send the request body uncompressed.');
  let text: string;
  try {
    text = await getRawBody(req, { limit: limitBytes, length: req.headers['content-length'], encoding: 'utf8' });
  } catch (err) {
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
