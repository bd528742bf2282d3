import { afterEach, describe, expect, it } from 'vitest';
import express from 'express';
import { baselineRateLimit, failedAuthLimit } from '../../../server/http/rate-limit.js';
import { errorMiddleware } from '../../../server/http/error-middleware.js';
import { FailedAuthWindow } from '../../../server/core/policy/failed-auth-window.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { capturingLogger, eventually, json, listen, type Listening } from '../../helpers/listen.js';

let running: Listening | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('baselineRateLimit', () => {
  it('lets perMinute requests through, then answers 429 rate_limited with Retry-After', async () => {
    const app = express();
    app.use(baselineRateLimit(2));
    app.get('/x', (_req, res) => void res.json({ ok: true }));
    app.use(errorMiddleware(capturingLogger().logger));
    running = await listen(app);
    const first = await fetch(`${running.url}/x`);
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toMatch(/q=2; w=60/);
    expect(first.headers.get('ratelimit')).toMatch(/r=1/);
    expect(first.headers.get('x-ratelimit-limit')).toBeNull(); // no legacy headers
    expect((await fetch(`${running.url}/x`)).status).toBe(200);
    const third = await fetch(`${running.url}/x`);
    expect(third.status).toBe(429);
    const retryAfter = Number(third.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const { error } = await json(third);
    expect(error.code).toBe('rate_limited');
    expect(error.message).toBe(`Too many requests from your address (2 per minute). Wait ${retryAfter} s and try again.`);
  });
});

describe('failedAuthLimit', () => {
  it('counts only refused authentications (401) and then refuses every try, a right key included', async () => {
    const clock = new FakeClock();
    const window = new FailedAuthWindow({ perMinute: 2, clock });
    // Refusals are counted on 'finish', which may follow the client's read: count them to wait for them.
    let counted = 0;
    const failed = window.failed.bind(window);
    window.failed = (ip) => (counted++, failed(ip));
    const app = express();
    app.use(failedAuthLimit(window));
    app.get('/admin', (req, res) => {
      if (req.get('authorization') !== 'Bearer right') return void res.status(401).json({ error: { code: 'unauthorized' } });
      res.json({ ok: true });
    });
    app.get('/missing', (_req, res) => void res.status(404).end());
    app.use(errorMiddleware(capturingLogger().logger));
    running = await listen(app);
    const right = { headers: { Authorization: 'Bearer right' } };

    // Successes and other client errors never count.
    for (let i = 0; i < 5; i++) expect((await fetch(`${running.url}/admin`, right)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await fetch(`${running.url}/missing`)).status).toBe(404);

    expect((await fetch(`${running.url}/admin`)).status).toBe(401);
    expect((await fetch(`${running.url}/admin`)).status).toBe(401);
    await eventually(() => counted === 2, 'two refusals counted');
    const locked = await fetch(`${running.url}/admin`, right);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('60');
    expect((await json(locked)).error.code).toBe('too_many_failed_authentications');

    clock.advance(30_000);
    const later = await fetch(`${running.url}/admin`, right);
    expect(later.status).toBe(429);
    expect(later.headers.get('retry-after')).toBe('30');

    clock.advance(30_001); // the window, counted from the first refusal, is over
    expect((await fetch(`${running.url}/admin`, right)).status).toBe(200);
  });
});
