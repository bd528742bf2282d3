/**
 * A fetch for visitors' own endpoints (batch tests): it connects to the address the SSRF rules
 * checked, never to a second DNS answer a rebinding attacker could change, and it never follows
 * a redirect (a redirect could point anywhere). TLS still verifies the certificate for the name.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable, Transform, pipeline } from 'node:stream';
import { badResponseError, redirectError } from './upstream-error.js';

/** Most bytes one answer may take: a long streamed answer is ~1 MB; a visitor's endpoint must not fill our memory. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface Pin {
  address: string;
  family: 4 | 6;
}

export function pinnedFetch(pin: Pin): typeof fetch {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address: pin.address, family: pin.family }]);
    else callback(null, pin.address, pin.family);
  };
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers = Object.fromEntries(new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined)).entries());
    const body = init.body === undefined || init.body === null ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(init.body as ArrayBuffer);
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = send(url, { method: init.method ?? 'GET', headers, lookup, signal: init.signal ?? undefined }, resolve);
      req.on('error', reject);
      req.end(body);
    });
    const status = res.statusCode ?? 502;
    if (status >= 300 && status < 400) {
      res.resume();
      throw redirectError(status, res.headers.location);
    }
    const responseHeaders = new Headers();
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders.set(k, Array.isArray(v) ? v.join(', ') : v);
    const stream = status === 204 || status === 304 ? null : (Readable.toWeb(capped(res)) as ReadableStream<Uint8Array>);
    return new Response(stream, { status, headers: responseHeaders });
  }) as typeof fetch;
}

/** The body, failing once it passes MAX_RESPONSE_BYTES (the request is torn down with it). */
function capped(res: IncomingMessage): Readable {
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > MAX_RESPONSE_BYTES)
        return done(badResponseError(`the answer passed ${MAX_RESPONSE_BYTES / 1024 / 1024} MB; lower max_tokens or check the endpoint`));
      done(null, chunk);
    },
  });
  return pipeline(res, counter, () => undefined);
}
