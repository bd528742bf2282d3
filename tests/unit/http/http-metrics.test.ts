import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import express, { Router } from 'express';
import { httpMetrics, observeRequest } from '../../../server/http/http-metrics.js';
import { createMetrics, type Metrics } from '../../../server/core/metrics/metrics.js';
import { eventually, listen, type Listening } from '../../helpers/listen.js';

let running: Listening | undefined;
let metrics: Metrics;
beforeEach(() => {
  metrics = createMetrics();
});
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Requests are counted on 'finish', which may follow the client's read. */
async function total() {
  return (await counts()).reduce((n, c) => n + c.n, 0);
}

async function counts() {
  const { values } = await metrics.httpRequests.get();
  return values.map((v) => ({ ...v.labels, n: v.value }));
}

describe('httpMetrics', () => {
  it('counts requests by route pattern (never the raw path), method and status', async () => {
    const app = express();
    app.use(httpMetrics(metrics));
    const api = Router();
    api.get('/runs/:id', (req, res) => void res.status(req.params.id === 'gone' ? 410 : 200).json({}));
    app.use('/api', api);
    app.use(express.static('/nonexistent-dir-for-test'));
    app.get('/page', (_req, res) => void res.send('hi'));
    running = await listen(app);

    await fetch(`${running.url}/api/runs/1`);
    await fetch(`${running.url}/api/runs/2`);
    await fetch(`${running.url}/api/runs/gone`);
    await fetch(`${running.url}/nowhere/at/all`);
    await fetch(`${running.url}/page`);
    await eventually(async () => (await total()) === 5, 'five requests counted');

    const got = await counts();
    expect(got).toEqual(
      expect.arrayContaining([
        { method: 'GET', route: '/api/runs/:id', status: '200', n: 2 },
        { method: 'GET', route: '/api/runs/:id', status: '410', n: 1 },
        { method: 'GET', route: 'unmatched', status: '404', n: 1 },
        { method: 'GET', route: '/page', status: '200', n: 1 },
      ]),
    );
    expect(got.some((c) => String(c.route).includes('/runs/1'))).toBe(false);
    const { values } = await metrics.httpDuration.get();
    const count = values.find((v) => v.metricName === 'labcoat_http_request_duration_seconds_count' && v.labels.route === '/api/runs/:id');
    expect(count?.value).toBe(3);
  });

  it('labels a non-404 answer from outside a route as static', async () => {
    const app = express();
    app.use(httpMetrics(metrics));
    app.use((_req, res) => void res.status(304).end());
    running = await listen(app);
    await fetch(`${running.url}/app.js`);
    await eventually(async () => (await total()) === 1, 'the request counted');
    expect(await counts()).toEqual([{ method: 'GET', route: 'static', status: '304', n: 1 }]);
  });
});

describe('observeRequest', () => {
  it('adds one request and a non-negative duration', async () => {
    observeRequest(metrics, 'POST', '/v1/chat/completions', 200, process.hrtime.bigint());
    observeRequest(metrics, 'POST', '/v1/chat/completions', 200, process.hrtime.bigint());
    expect(await counts()).toEqual([{ method: 'POST', route: '/v1/chat/completions', status: '200', n: 2 }]);
    const { values } = await metrics.httpDuration.get();
    const sum = values.find((v) => v.metricName === 'labcoat_http_request_duration_seconds_sum');
    expect(sum!.value).toBeGreaterThanOrEqual(0);
  });
});
