import type { Response } from 'express';
import { toAppError } from './to-app-error.js';

/**
 * Answers with Server-Sent Events (`delta` for each piece, then `done` or `error`). The event
 * stream starts with the first piece of the answer: a refusal before it (the cap, an open
 * breaker) is still a plain JSON error with its status and Retry-After. The signal aborts when
 * the client goes away.
 */
export async function streamReply(
  res: Response,
  call: (onDelta: (text: string) => void, signal: AbortSignal) => Promise<unknown>,
  onFailure: (err: unknown) => void = () => undefined,
): Promise<void> {
  const abort = new AbortController();
  // 'close' on the response fires when the client goes away before we finish.
  res.on('close', () => abort.abort());
  let streaming = false;
  const onDelta = (text: string) => {
    if (!streaming) startEvents(res);
    streaming = true;
    sendEvent(res, 'delta', { text });
  };
  try {
    const done = await call(onDelta, abort.signal);
    if (!streaming) startEvents(res); // an empty answer
    sendEvent(res, 'done', done);
  } catch (err) {
    onFailure(err);
    if (!streaming) throw err;
    const e = toAppError(err);
    sendEvent(res, 'error', { error: { code: e.code, message: e.message } });
  }
  res.end();
}

function startEvents(res: Response): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
}

function sendEvent(res: Response, event: string, data: unknown): void {
  if (!res.writableEnded && !res.destroyed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
