/**
 * The OpenAI wire over node:http(s) with pooled keep-alive connections, for the providers the
 * Space owner configures (the main upstream, gateway providers). WHATWG fetch and the SDK's
 * per-call client cost about 0.75 ms a call here; the gateway's whole overhead budget is 0.5 ms
 * (bench/gateway.ts). Visitors' endpoints keep the official SDK (sdk-wire.ts).
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createParser } from 'eventsource-parser';
import type { Target } from './wire.js';
import { MAX_RESPONSE_BYTES } from './pinned-fetch.js';
import { parseRetryAfter } from './retry-policy.js';
import { UpstreamError, badResponseError, fromStreamError, fromUpstreamStatus, redirectError, unreachableError } from './upstream-error.js';
import type { Wire, WireChunk, WireCompletion } from './wire.js';

/** Enough of an error answer to read the provider's message; the rest is dropped. */
const MAX_ERROR_BYTES = 64 * 1024;
/** Idle pooled connections close after this (the provider's Keep-Alive hint wins when it is shorter). */
const IDLE_SOCKET_MS = 30_000;

export class HttpWire implements Wire {
  private readonly httpAgent = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  /** Parsed once per base URL (a handful: the owner's providers). */
  private readonly endpoints = new Map<string, URL>();

  constructor(private readonly now: () => number) {}

  async complete(target: Target, body: Record<string, unknown>, signal: AbortSignal): Promise<WireCompletion> {
    const res = await this.post(target, { ...body, stream: false }, signal);
    const text = await readText(res, MAX_RESPONSE_BYTES, signal);
    try {
      return JSON.parse(text) as WireCompletion;
    } catch {
      throw badResponseError('not valid JSON');
    }
  }

  async stream(target: Target, body: Record<string, unknown>, signal: AbortSignal): Promise<AsyncIterable<WireChunk>> {
    const res = await this.post(target, { ...body, stream: true, stream_options: { include_usage: true } }, signal);
    return events(res, signal);
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private endpoint(baseUrl: string): URL {
    let url = this.endpoints.get(baseUrl);
    if (!url) {
      url = new URL(`${baseUrl}/chat/completions`);
      if (this.endpoints.size < 100) this.endpoints.set(baseUrl, url);
    }
    return url;
  }

  /** The response once its status is a success; any other status is thrown as the provider's error. */
  private async post(target: Target, body: Record<string, unknown>, signal: AbortSignal): Promise<IncomingMessage> {
    const payload = JSON.stringify(body);
    const res = await this.send(target, payload, signal, false);
    const status = res.statusCode ?? 502;
    if (status >= 200 && status < 300) return res;
    if (status >= 300 && status < 400) {
      res.resume();
      throw redirectError(status, header(res, 'location'));
    }
    const text = await readText(res, MAX_ERROR_BYTES, signal).catch(() => '');
    if (signal.aborted) throw signal.reason; // a cancel while the error body arrived is still a cancel
    const retryAfter = parseRetryAfter((name) => header(res, name), this.now());
    // Only a JSON error's own message is passed on (as the SDK does); an HTML error page is not.
    throw fromUpstreamStatus(status, parseJson(text), retryAfter);
  }

  private send(target: Target, payload: string, signal: AbortSignal, retried: boolean): Promise<IncomingMessage> {
    const url = this.endpoint(target.baseUrl);
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      let responded = false;
      const req: ClientRequest = (secure ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          agent: secure ? this.httpsAgent : this.httpAgent,
          signal,
          headers: {
            authorization: `Bearer ${target.apiKey}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            accept: 'application/json, text/event-stream',
            'user-agent': 'Labcoat',
          },
        },
        (res) => {
          responded = true;
          resolve(res);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        // Once the response arrived, its own stream reports failures to whoever reads it.
        if (responded) return;
        // A pooled connection the provider closed while it sat idle: the request never reached it (Node's documented race).
        if (req.reusedSocket && err.code === 'ECONNRESET' && !retried && !signal.aborted)
          return void this.send(target, payload, signal, true).then(resolve, reject);
        reject(failure(err, signal));
      });
      req.end(payload);
    });
  }
}

/** The whole body as text, refused past `limit` bytes. */
function readText(res: IncomingMessage, limit: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    res.on('data', (piece: Buffer) => {
      size += piece.length;
      if (size > limit) return void res.destroy(badResponseError(`the answer passed ${Math.round(limit / 1024 / 1024)} MB; lower max_tokens`));
      parts.push(piece);
    });
    res.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    res.on('error', (err) => reject(failure(err, signal)));
  });
}

/** The stream's data events as chunks, until `[DONE]`; an error event is thrown as the provider's error. */
async function* events(res: IncomingMessage, signal: AbortSignal): AsyncGenerator<WireChunk> {
  const pending: Array<{ event?: string | undefined; data: string }> = [];
  let done = false;
  const parser = createParser({ onEvent: (e) => void (e.data === '[DONE]' ? (done = true) : done || pending.push(e)) });
  res.setEncoding('utf8');
  try {
    // Read to the end even after [DONE], so the connection goes back to the pool.
    for await (const text of res as AsyncIterable<string>) {
      parser.feed(text);
      for (const e of pending.splice(0)) yield chunkOf(e.event, e.data);
    }
  } catch (err) {
    throw failure(err, signal);
  }
}

/** A data event as a chunk; an `error` event, or data carrying `error`, is the provider's error (OpenRouter sends both). */
function chunkOf(event: string | undefined, data: string): WireChunk {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    if (event === 'error') throw fromStreamError({ message: data });
    throw badResponseError('a stream event that is not JSON');
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (error && typeof error === 'object') throw fromStreamError(error as { code?: unknown; message?: unknown });
  if (event === 'error') throw fromStreamError((parsed ?? {}) as { code?: unknown; message?: unknown });
  return parsed as WireChunk;
}

/** What a failed read or connection is: the abort's reason, our own typed error, or the network's. */
function failure(err: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  return err instanceof UpstreamError ? err : unreachableError(err);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
