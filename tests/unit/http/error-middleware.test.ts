import { afterEach, describe, expect, it } from 'vitest';
import express, { type Request } from 'express';
import { z } from 'zod';
import { AppError } from '../../../server/core/errors/app-error.js';
import { errorMiddleware, methodNotAllowed, notFound, sendError } from '../../../server/http/error-middleware.js';
import { capturingLogger, listen, type Listening, json } from '../../helpers/listen.js';

let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function build(shapeFor?: (req: Request) => ((err: AppError) => unknown) | undefined) {
  const { logger, lines } = capturingLogger();
  const app = express();
  app.get('/app-error', () => {
    throw new AppError(402, 'budget_exhausted', 'The daily cap is reached.', { headers: { 'Retry-After': '60' }, details: { cap_usd: 5 } });
  });
  app.get('/crash', () => {
    throw new Error('db password=hunter2 at /secret/path');
  });
  app.get('/zod', () => {
    z.object({ name: z.string() }).parse({ name: 3 });
  });
  app.get('/v1/fail', () => {
    throw new AppError(400, 'bad_model', 'No such model.');
  });
  app.get('/late', (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('partial');
    throw new Error('after the headers');
  });
  app.all('/only-get', methodNotAllowed(['GET', 'HEAD']));
  app.use(notFound);
  app.use(errorMiddleware(logger, shapeFor));
  return { app, lines };
}

describe('errorMiddleware', () => {
  it('sends an AppError as {error:{code,message,...details}} with its status and headers', async () => {
    const { app } = build();
    running = await listen(app);
    const res = await fetch(`${running.url}/app-error`);
    expect(res.status).toBe(402);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await json(res)).toEqual({ error: { code: 'budget_exhausted', message: 'The daily cap is reached.', cap_usd: 5 } });
  });

  it('turns an unexpected error into a 500 without the message, and logs it', async () => {
    const { app, lines } = build();
    running = await listen(app);
    const res = await fetch(`${running.url}/crash`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('/secret/path');
    expect(JSON.parse(text).error.code).toBe('internal_error');
    expect(lines.filter((l) => l.msg === 'unhandled error')).toHaveLength(1);
  });

  it('maps a validation error to 422 invalid_request with the issues', async () => {
    const { app, lines } = build();
    running = await listen(app);
    const res = await fetch(`${running.url}/zod`);
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toMatch(/^name: /);
    expect(body.error.issues).toEqual([{ path: 'name', message: expect.any(String) }]);
    expect(lines).toEqual([]); // a client error is not logged as unhandled
  });

  it('answers in another shape where shapeFor says so', async () => {
    const { app } = build((req) => (req.path.startsWith('/v1/') ? (e) => ({ error: { message: e.message, type: e.code } }) : undefined));
    running = await listen(app);
    const v1 = await fetch(`${running.url}/v1/fail`);
    expect(v1.status).toBe(400);
    expect(await json(v1)).toEqual({ error: { message: 'No such model.', type: 'bad_model' } });
    const other = await fetch(`${running.url}/app-error`);
    expect((await json(other)).error.code).toBe('budget_exhausted');
  });

  it('cuts a response already under way and logs, never a second status line', async () => {
    const { app, lines } = build();
    running = await listen(app);
    const outcome = await fetch(`${running.url}/late`).then(
      (res) =>
        res.text().then(
          (t) => `body:${t}`,
          () => 'cut',
        ),
      () => 'cut',
    );
    expect(outcome).toBe('cut');
    expect(lines.some((l) => l.msg === 'error after the response started')).toBe(true);
  });
});

describe('notFound and methodNotAllowed', () => {
  it('answers 404 naming the method and path', async () => {
    const { app } = build();
    running = await listen(app);
    const res = await fetch(`${running.url}/nowhere?x=1`, { method: 'DELETE' });
    expect(res.status).toBe(404);
    expect(await json(res)).toEqual({ error: { code: 'not_found', message: 'There is no DELETE /nowhere. The API is listed in the README.' } });
  });

  it('truncates a long path in the message', async () => {
    const { app } = build();
    running = await listen(app);
    const res = await fetch(`${running.url}/${'a'.repeat(500)}`);
    const { error } = await json(res);
    expect(error.message).toBe(`There is no GET /${'a'.repeat(199)}. The API is listed in the README.`);
    expect(error.message).not.toContain('a'.repeat(200));
  });

  it('answers 405 with Allow', async () => {
    const { app } = build();
    running = await listen(app);
    const res = await fetch(`${running.url}/only-get`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(await json(res)).toEqual({ error: { code: 'method_not_allowed', message: 'POST is not supported here; use GET or HEAD.' } });
  });
});

describe('sendError on a plain node:http response', () => {
  it('writes the shape it is given', async () => {
    const { logger } = capturingLogger();
    running = await listen((_req, res) =>
      sendError(res, new AppError(429, 'rate_limited', 'Slow down.', { headers: { 'Retry-After': '3' } }), {
        logger,
        reqId: 'r1',
        shape: (e) => ({ oops: e.code }),
      }),
    );
    const res = await fetch(running.url);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await json(res)).toEqual({ oops: 'rate_limited' });
  });

  it('logs an unexpected error with the request id', async () => {
    const { logger, lines } = capturingLogger();
    running = await listen((_req, res) => sendError(res, new TypeError('x is undefined'), { logger, reqId: 'req-42', shape: (e) => ({ code: e.code }) }));
    const res = await fetch(running.url);
    expect(res.status).toBe(500);
    expect(await json(res)).toEqual({ code: 'internal_error' });
    expect(lines).toEqual([expect.objectContaining({ req_id: 'req-42', msg: 'unhandled error' })]);
  });
});
