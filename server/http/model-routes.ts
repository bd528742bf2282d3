import { Router } from 'express';
import { isFree, perMillion } from '../accounting/pricing.js';
import type { Catalog } from '../llm/catalog.js';
import type { ModelAccess } from '../limits/model-access.js';
import { route } from './routes.js';

/** GET /api/models: the catalog with access and prices per 1M tokens; works with no key at all. */
export function modelRoutes(catalog: Catalog, access: (id: string) => ModelAccess, allowedModels: readonly string[], now: () => number): Router {
  const router = Router();
  route(router, '/models', {
    get: (_req, res) => {
      const view = catalog.current();
      const known = new Set(view.models.map((m) => m.id));
      res.set('Cache-Control', 'no-cache').json({
        source: view.source,
        fetched_at: view.fetched_at,
        age_s: Math.max(0, Math.round((now() - Date.parse(view.fetched_at)) / 1000)),
        refresh_error: view.last_error,
        // Whitelisted ids the upstream no longer lists: the page warns instead of failing at run time.
        missing_allowed: allowedModels.filter((id) => !known.has(id)),
        models: view.models.map((m) => ({
          id: m.id,
          name: m.name,
          provider: m.provider,
          context_length: m.context_length,
          price_per_1m: perMillion(m.price),
          free: isFree(m.price),
          json_mode: m.json_mode,
          ...access(m.id),
        })),
      });
    },
  });
  return router;
}
