import { Router } from 'express';
import { isFree, perMillion } from '../../core/accounting/pricing.js';
import type { Catalog, CatalogView } from '../../core/llm/catalog.js';
import type { ModelAccess } from '../../core/policy/model-access.js';
import { route } from '../../http/routes.js';

/** A manual refresh waits at least this long after the last one, so the button cannot hammer the provider. */
const MIN_REFRESH_INTERVAL_MS = 60_000;

/** The catalog as the page and API clients see it: prices per 1M tokens, access and tier per model. */
export function catalogResponse(
  view: CatalogView & { last_error: string | null },
  access: (id: string) => ModelAccess,
  allowedModels: readonly string[],
  now: number,
) {
  const known = new Set(view.models.map((m) => m.id));
  return {
    source: view.source,
    fetched_at: view.fetched_at,
    age_s: Math.max(0, Math.round((now - Date.parse(view.fetched_at)) / 1000)),
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
  };
}

/** GET /api/models works with no key at all; POST /api/models/refresh fetches the live list again. */
export function modelRoutes(catalog: Catalog, access: (id: string) => ModelAccess, allowedModels: readonly string[], now: () => number): Router {
  const router = Router();
  let lastManualRefresh = -Infinity;
  const body = () => catalogResponse(catalog.current(), access, allowedModels, now());
  route(router, '/models', { get: (_req, res) => void res.set('Cache-Control', 'no-cache').json(body()) });
  route(router, '/models/refresh', {
    post: async (_req, res) => {
      if (now() - lastManualRefresh >= MIN_REFRESH_INTERVAL_MS) {
        lastManualRefresh = now();
        await catalog.refresh();
      }
      res.json(body());
    },
  });
  return router;
}
