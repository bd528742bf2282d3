import { Router } from 'express';
import type { Registry } from 'prom-client';
import type { StoreStats } from '../../core/store/store.js';
import { route } from '../../http/routes.js';

export interface SystemInfo {
  version: string;
  mode: string;
  startedAt: number;
  now(): number;
  storeStats(): StoreStats;
  isDraining(): boolean;
  registry: Registry;
}

/** /health for the Space and Docker health checks; /metrics for Prometheus. */
export function systemRoutes(info: SystemInfo): Router {
  const router = Router();
  route(router, '/health', {
    get: (_req, res) => {
      const store = info.storeStats();
      const draining = info.isDraining();
      res
        .status(draining ? 503 : 200)
        .set('Cache-Control', 'no-store')
        .json({
          status: draining ? 'shutting_down' : store.last_error ? 'degraded' : 'ok',
          version: info.version,
          uptime_s: Math.round((info.now() - info.startedAt) / 1000),
          mode: info.mode,
          store: {
            ok: store.last_error === null,
            writes: store.writes,
            pending: store.pending,
            last_write_at: store.last_write_at,
            last_error: store.last_error,
          },
        });
    },
  });
  route(router, '/metrics', {
    get: async (_req, res) => {
      res.set('Content-Type', info.registry.contentType).send(await info.registry.metrics());
    },
  });
  return router;
}
