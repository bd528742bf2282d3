/**
 * The owner's admin API: issued keys (create, list, update, revoke) and usage per key per model
 * per day (JSON or CSV, for billing). `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant
 * time; without ADMIN_TOKEN set the whole API answers 404, as if it did not exist.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { AppError } from '../../core/errors/app-error.js';
import { notFound } from '../../http/error-middleware.js';
import { route } from '../../http/routes.js';
import { addUsage, emptyUsage, usageCsv, type GatewayUsageBook } from './gateway-usage.js';
import type { IssuedKeys } from './issued-keys.js';
import { createKeyBody, updateKeyBody } from './key-settings-schema.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day as YYYY-MM-DD');
const usageQuery = z.object({ format: z.enum(['json', 'csv']).default('json'), from: day.optional(), to: day.optional(), key: z.string().max(64).optional() });

export function adminRoutes(deps: { adminToken: string | undefined; keys: IssuedKeys; usage: GatewayUsageBook }): Router {
  const router = Router();
  if (!deps.adminToken) {
    router.use(notFound);
    return router;
  }
  router.use(requireToken(deps.adminToken));
  // Keys are shown once: no proxy or browser may keep a copy of an answer.
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(express.json({ limit: '64kb' }));
  const { keys } = deps;

  route(router, '/keys', {
    get: (_req, res) => void res.json({ keys: keys.list() }),
    // The key itself is in this answer only: it is stored as a hash.
    post: (req, res) => {
      const { key, view } = keys.create(createKeyBody.parse(req.body));
      res.status(201).json({ ...view, key });
    },
  });
  route(router, '/keys/:id', {
    get: (req, res) => void res.json(keys.get(String(req.params.id))),
    patch: (req, res) => void res.json(keys.update(String(req.params.id), updateKeyBody.parse(req.body))),
    delete: (req, res) => void res.json(keys.revoke(String(req.params.id))),
  });
  route(router, '/usage', {
    get: (req, res) => {
      const q = usageQuery.parse(req.query);
      const rows = deps.usage.namedRows(keys.list(), { from: q.from, to: q.to, key: q.key });
      if (q.format === 'csv') {
        res.attachment(`labcoat-gateway-usage-${q.from ?? 'all'}-${q.to ?? 'today'}.csv`);
        return void res.type('text/csv; charset=utf-8').send(usageCsv(rows));
      }
      const totals = rows.reduce((t, r) => addUsage(t, r), emptyUsage());
      res.json({ from: q.from ?? null, to: q.to ?? null, rows, totals });
    },
  });
  return router;
}

/** Constant time whatever the guess: both sides are hashed to the same length first. */
function requireToken(token: string): RequestHandler {
  const expected = createHash('sha256').update(token).digest();
  return (req, _res, next) => {
    const given = req.get('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1] ?? '';
    const ok = timingSafeEqual(createHash('sha256').update(given).digest(), expected);
    next(ok ? undefined : new AppError(401, 'admin_token_required', 'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>".'));
  };
}
