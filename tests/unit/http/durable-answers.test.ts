import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { durableAnswers } from '../../../server/http/durable-answers.js';
import { createLogger } from '../../../server/core/log/logger.js';

let close: (() => void) | undefined;
afterEach(() => close?.());

/** An app whose answers wait for `durable`, with a few handlers that misbehave. */
async function serve(durable: () => Promise<void>): Promise<string> {
  const app = express();
  app.use(durableAnswers(durable, createLogger('silent')));
  app.get('/object', (_req, res) => void res.send({ ok: true }));
  app.get('/json', (_req, res) => void res.json({ ok: 1 }));
  app.get('/twice', (_req, res) => {
    res.json({ first: true });
    res.json({ second: true });
  });
  app.get('/throws-after', (_req, res) => {
    res.json({ first: true });
    throw new Error('after the answer');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  close = () => server.close();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('answers wait for the journal', () => {
  it('holds an answer until the barrier resolves, then sends it once', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const url = await serve(() => gate);
    let answered = false;
    const pending = fetch(`${url}/json`).then(async (r) => ((answered = true), r.json()));
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false); // not before the change it shows is on disk
    release();
    expect(await pending).toEqual({ ok: 1 });
  });

  it('sends an object body, keeps the first of two answers, and survives an error thrown after one', async () => {
    const url = await serve(() => Promise.resolve());
    expect(await (await fetch(`${url}/object`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${url}/twice`)).json()).toEqual({ first: true });
    expect(await (await fetch(`${url}/throws-after`)).json()).toEqual({ first: true });
    expect(await (await fetch(`${url}/json`)).json()).toEqual({ ok: 1 }); // the process is still serving
  });

  it('answers even when the journal cannot be written (state.json retries the change)', async () => {
    const url = await serve(() => Promise.reject(new Error('disk full')));
    expect(await (await fetch(`${url}/json`)).json()).toEqual({ ok: 1 });
  });
});
