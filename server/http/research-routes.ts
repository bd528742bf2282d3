import { Router } from 'express';
import { z } from 'zod';
import { maxPrice, perMillion, type Price } from '../accounting/pricing.js';
import { researchSettingsSchema } from '../engines/research/call-plan.js';
import { estimateResearch } from '../engines/research/estimate.js';
import { fallbackChain, tierAllows, type ModelAccess } from '../limits/model-access.js';
import type { Quotas } from '../limits/quotas.js';
import { bearerKey } from '../llm/targets.js';
import { AppError } from './app-error.js';
import { route } from './routes.js';

export interface ResearchRouteDeps {
  access(model: string): ModelAccess;
  priceOf(model: string): Price | null;
  quotas: Quotas;
  fallbacks: readonly string[];
  maxHypothesesPerCycle: number;
  byokEnabled: boolean;
}

const estimateBody = z.strictObject({
  model: z.string().min(3).max(200),
  goal: z.string().max(5000).optional(),
  hypotheses: z.number().int().min(1).max(50).optional(),
  cycles: z.number().int().min(1).max(20).optional(),
  settings: researchSettingsSchema.omit({ hypotheses: true, cycles: true }).partial().optional(),
});

/** POST /api/research/estimate — calls and worst-case USD of a planned run, before anything runs. */
export function researchRoutes(deps: ResearchRouteDeps): Router {
  const router = Router();
  route(router, '/research/estimate', {
    post: (req, res) => {
      const body = estimateBody.parse(req.body);
      const mode = bearerKey(req.get('authorization')) && deps.byokEnabled ? 'byok' : 'server';
      if (!tierAllows(deps.access(body.model).tier, mode)) {
        throw new AppError(403, 'model_not_allowed', `${body.model} is not available here on ${mode === 'byok' ? 'your own key' : "the Space's key"}. Pick a model marked as allowed in the catalog.`);
      }
      const asked = body.hypotheses ?? 3;
      const settings = researchSettingsSchema.parse({ ...body.settings, hypotheses: Math.min(asked, deps.maxHypothesesPerCycle), cycles: body.cycles ?? 1 });
      const chain = [body.model, ...fallbackChain(deps.fallbacks, deps.access, mode)];
      const price = maxPrice(chain.map((m) => deps.priceOf(m)));
      const estimate = estimateResearch(settings, price, { goalBytes: body.goal ? Buffer.byteLength(body.goal, 'utf8') : undefined });
      const quota = deps.quotas.view(req.sessionId, req.ip ?? 'unknown');
      res.json({
        model: body.model,
        key_mode: mode,
        price_per_1m: perMillion(deps.priceOf(body.model)),
        free: price !== null && price.input === 0 && price.output === 0,
        paid_by: mode === 'byok' ? 'you' : 'space',
        settings,
        clamped: asked > settings.hypotheses ? { hypotheses: { asked, max: deps.maxHypothesesPerCycle } } : null,
        ...estimate,
        quota: mode === 'byok' ? null : { cycles_left: Math.max(0, quota.session.cycles_limit - quota.session.cycles_used), ...quota },
      });
    },
  });
  return router;
}
