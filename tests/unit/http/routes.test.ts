import { afterEach, describe, expect, it } from 'vitest';
import express, { Router } from 'express';
import { route } from '../../../server/http/routes.js';
import { errorMiddleware } from '../../../server/http/error-middleware.js';
import { capturingLogger, listen, type Listening, json } from '../../helpers/listen.js';

let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start() {
  const router = Router();
  route(router, '/things', { get: (_req, res) => void res.json({ list: [] }), post: (_req, res) => void res.status(201).json({ made: true }) });
  route(router, '/things/:id', { delete: (req, res) => void res.json({ deleted: req.params.id }) });
  const app = express();
  app.use('/api', router);
  app.use(errorMiddleware(capturingLogger().logger));
  running = await listen(app);
  return running.url;
}

describe('route', () => {
  it('dispatches each declared method to its handler', async () => {
    const url = await start();
    expect(await json(await fetch(`${url}/api/things`))).toEqual({ list: [] });
    const post = await fetch(`${url}/api/things`, { method: 'POST' });
    expect(post.status).toBe(201);
    expect(await json(post)).toEqual({ made: true });
    expect(await json(await fetch(`${url}/api/things/7`, { method: 'DELETE' }))).toEqual({ deleted: '7' });
  });

  it('answers HEAD where GET is declared', async () => {
    const url = await start();
    const res = await fetch(`${url}/api/things`, { method: 'HEAD' });
    expect(res.status).toBe(200);
  });

  it('answers any other method with 405 and an Allow header (HEAD only beside GET)', async () => {
    const url = await start();
    const put = await fetch(`${url}/api/things`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST, HEAD');
    expect((await json(put)).error.code).toBe('method_not_allowed');
    const get = await fetch(`${url}/api/things/7`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('DELETE');
  });
});
