import type { RequestHandler } from 'express';
import type { Metrics } from '../core/metrics/metrics.js';

/** Counts and times each request by route pattern (never raw paths, which would explode cardinality). */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : res.statusCode === 404 ? 'unmatched' : 'static';
      observeRequest(metrics, req.method, route, res.statusCode, started);
    });
    next();
  };
}

/** One request in the metrics, by its route pattern; `started` is process.hrtime.bigint() at arrival. */
export function observeRequest(metrics: Metrics, method: string, route: string, status: number, started: bigint): void {
  metrics.httpRequests.inc({ method, route, status: String(status) });
  metrics.httpDuration.observe({ method, route }, Number(process.hrtime.bigint() - started) / 1e9);
}
