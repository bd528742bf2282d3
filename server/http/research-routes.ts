import { Router } from 'express';
import { z } from 'zod';
import type { MeteredLlm } from '../accounting/metered-llm.js';
import { isFree, perMillion, type Price } from '../accounting/pricing.js';
import { researchSettingsSchema } from '../engines/research/call-plan.js';
import { estimateResearch } from '../engines/research/estimate.js';
import type { Quotas } from '../limits/quotas.js';
import type { ModelGate } from './model-gate.js';
import { route } from './routes.js';

export interface ResearchRouteDeps {
  gate: ModelGate;
  metered: MeteredLlm;
  priceOf(model: string): Price | null;
  quotas: Quotas;
  maxHypothesesPerCycle: number;
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
      const { mode, fallbacks } = deps.gate.preview(req, body.model);
      const asked = body.hypotheses ?? 3;
      const settings = researchSettingsSchema.parse({ ...body.settings, hypotheses: Math.min(asked, deps.maxHypothesesPerCycle), cycles: body.cycles ?? 1 });
      // Priced as reservations are: the dearest of the model and the fallbacks it may use.
      const price = deps.metered.chainPrice({ target: { model: body.model }, fallbacks });
      const estimate = estimateResearch(settings, price, { goalBytes: body.goal ? Buffer.byteLength(body.goal, 'utf8') : undefined });
      const quota = deps.quotas.view(req.sessionId, req.ip ?? 'unknown');
      res.json({
        model: body.model,
        key_mode: mode,
        price_per_1m: perMillion(deps.priceOf(body.model)),
        free: isFree(price),
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
