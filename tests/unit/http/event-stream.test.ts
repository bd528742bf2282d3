import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import { AppError } from '../../../server/core/errors/app-error.js';
import { streamReply } from '../../../server/http/event-stream.js';
import { errorMiddleware } from '../../../server/http/error-middleware.js';
import { capturingLogger, listen, type Listening, json } from '../../helpers/listen.js';

let running: Listening;
const failures: unknown[] = [];
let aborted: Promise<boolean> | undefined;

beforeAll(async () => {
  const app = express();
  const onFailure = (err: unknown) => void failures.push(err);
  app.get('/ok', async (_req, res) => {
    await streamReply(
      res,
      async (onDelta) => {
        onDelta('Hel');
        onDelta('lo');
        return { tokens: 2 };
      },
      onFailure,
    );
  });
  app.get('/empty', async (_req, res) => {
    await streamReply(res, async () => ({ tokens: 0 }), onFailure);
  });
  app.get('/refused', async (_req, res) => {
    await streamReply(
      res,
      async () => {
        throw new AppError(402, 'budget_exhausted', 'The daily cap is reached.', { headers: { 'Retry-After': '60' } });
      },
      onFailure,
    );
  });
  app.get('/midway', async (_req, res) => {
    await streamReply(
      res,
      async (onDelta) => {
        onDelta('par');
        throw new AppError(502, 'upstream_error', 'The model stopped answering.');
      },
      onFailure,
    );
  });
  app.get('/midway-crash', async (_req, res) => {
    await streamReply(res, async (onDelta) => {
      onDelta('x');
      throw new Error('secret internals');
    });
  });
  app.get('/slow', async (_req, res) => {
    let settle!: (v: boolean) => void;
    aborted = new Promise((r) => (settle = r));
    await streamReply(
      res,
      (onDelta, signal) =>
        new Promise((resolve) => {
          onDelta('first');
          signal.addEventListener('abort', () => {
            settle(true);
            resolve({});
          });
        }),
      onFailure,
    );
  });
  app.use(errorMiddleware(capturingLogger().logger));
  running = await listen(app);
});
afterAll(() => running.close());

function events(text: string) {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [event, data] = block.split('\n');
      return { event: event!.replace(/^event: /, ''), data: JSON.parse(data!.replace(/^data: /, '')) as unknown };
    });
}

describe('streamReply', () => {
  it('streams a delta per piece, then done with the call’s result', async () => {
    const res = await fetch(`${running.url}/ok`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(events(await res.text())).toEqual([
      { event: 'delta', data: { text: 'Hel' } },
      { event: 'delta', data: { text: 'lo' } },
      { event: 'done', data: { tokens: 2 } },
    ]);
  });

  it('still opens the stream for an empty answer', async () => {
    const res = await fetch(`${running.url}/empty`);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(events(await res.text())).toEqual([{ event: 'done', data: { tokens: 0 } }]);
  });

  it('lets a refusal before the first piece leave as a plain JSON error with its status and headers', async () => {
    failures.length = 0;
    const res = await fetch(`${running.url}/refused`);
    expect(res.status).toBe(402);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await json(res)).toEqual({ error: { code: 'budget_exhausted', message: 'The daily cap is reached.' } });
    expect(failures).toHaveLength(1);
  });

  it('ends a stream that fails midway with an error event', async () => {
    failures.length = 0;
    const res = await fetch(`${running.url}/midway`);
    expect(res.status).toBe(200);
    expect(events(await res.text())).toEqual([
      { event: 'delta', data: { text: 'par' } },
      { event: 'error', data: { error: { code: 'upstream_error', message: 'The model stopped answering.' } } },
    ]);
    expect((failures[0] as AppError).code).toBe('upstream_error');
  });

  it('never leaks an unexpected error’s message into the stream', async () => {
    const text = await (await fetch(`${running.url}/midway-crash`)).text();
    expect(text).not.toContain('secret internals');
    expect(events(text).at(-1)).toMatchObject({ event: 'error', data: { error: { code: 'internal_error' } } });
  });

  it('aborts the call’s signal when the client goes away', async () => {
    const client = new AbortController();
    const res = await fetch(`${running.url}/slow`, { signal: client.signal });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"first"');
    client.abort();
    expect(await aborted).toBe(true);
  });
});
