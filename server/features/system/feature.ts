import { Router } from 'express';
import type { Core } from '../../core/core.js';
import type { Feature, HttpContext } from '../../http/feature.js';
import { route } from '../../http/routes.js';
import { publicConfig } from './public-config.js';
import { systemRoutes } from './routes.js';

/** /health, /metrics and the page's settings (/api/config). */
export function mountSystem(core: Core, http: HttpContext): Feature {
  const { clock, store } = core;
  const probes = systemRoutes({
    version: core.version,
    mode: core.resolved.mode,
    startedAt: core.startedAt,
    now: () => clock.now(),
    storeStats: () => store.stats(),
    isDraining: http.isDraining,
    registry: core.metrics.registry,
  });
  const view = publicConfig(core.config, core.env, core.resolved, core.version, core.simulated);
  const api = Router();
  route(api, '/config', { get: (_req, res) => void res.json(view) });
  return { probes, api };
}
