import { Router, type Request } from 'express';
import { z } from 'zod';
import type { MeteredLlm } from '../../core/accounting/metered-llm.js';
import { isFree, perMillion, type Price } from '../../core/accounting/pricing.js';
import { researchSettingsSchema } from './call-plan.js';
import { estimateResearch } from './estimate.js';
import { runMarkdown } from './export.js';
import type { ResearchService } from './research-service.js';
import { getRun } from './run-store.js';
import type { RunSettings } from './run-types.js';
import { runSummary, type runViews } from './run-view.js';
import type { ResearchStore } from './run-store.js';
import { refundIfThrows, type Quotas } from '../../core/policy/quotas.js';
import { AppError } from '../../core/errors/app-error.js';
import { visitor, type AdmissionPolicy } from '../../core/policy/admission.js';
import { route } from '../../http/routes.js';

export interface ResearchRouteDeps {
  /** Who may call which model on which key, with which fallbacks, under which limits (policy/admission.ts). */
  gate: AdmissionPolicy;
  metered: MeteredLlm;
  priceOf(model: string): Price | null;
  quotas: Quotas;
  service: ResearchService;
  store: ResearchStore;
  maxHypothesesPerCycle: number;
  /** Set by `npm run demo`: exports say the content came from a simulated model. */
  simulated: boolean;
  runView: ReturnType<typeof runViews>;
}

/** Goals are plain text: HTML tags are refused rather than stored and shown. */
const goal = z
  .string()
  .trim()
  .min(10, 'write at least a sentence (10 characters)')
  .max(5000, 'keep it under 5,000 characters')
  .refine((g) => !/<\/?[a-z][^>]*>/i.test(g), 'goals are plain text; remove the HTML tags');

const temperature = z.number().min(0).max(1.5);
const advanced = researchSettingsSchema.omit({ hypotheses: true, cycles: true }).extend({
  elo_k: z.number().int().min(4).max(64).default(32),
  temperatures: z
    .strictObject({
      screen: temperature.default(0),
      generate: temperature.default(0.9),
      review: temperature.default(0.2),
      judge: temperature.default(0.1),
      evolve: temperature.default(0.8),
      meta: temperature.default(0.3),
    })
    .prefault({}),
});

const planBody = z.strictObject({
  model: z.string().min(3).max(200),
  goal: goal.optional(),
  hypotheses: z.number().int().min(1).max(50).optional(),
  cycles: z.number().int().min(1).max(20).optional(),
  settings: advanced.partial().optional(),
});
const startBody = planBody.extend({ goal });
const moreBody = z.strictObject({ cycles: z.number().int().min(1).max(20).default(1) });
const short = (max: number) => z.string().trim().min(1).max(max);
const hypothesisBody = z.strictObject({
  title: short(160),
  statement: short(1200),
  rationale: short(1200).default('Proposed by the scientist.'),
  test: short(1200).default('To be designed.'),
});
const score = z.strictObject({ score: z.number().int().min(1).max(5), reason: short(600) });
const reviewBody = z.strictObject({
  hypothesis_id: short(40),
  novelty: score,
  feasibility: score,
  testability: score,
  summary: short(800),
  safety: z.strictObject({ flag: z.boolean(), note: z.string().max(500).default('') }).default({ flag: false, note: '' }),
});
const markBody = z.strictObject({ pinned: z.boolean().optional(), dropped: z.boolean().optional() });
const noteBody = z.strictObject({ text: short(2000) });

/** The research API: estimate, start, read, more cycles, cancel, resume, the scientist's actions, export. */
export function researchRoutes(deps: ResearchRouteDeps): Router {
  const router = Router();
  const runView = deps.runView;
  const settingsOf = (body: z.infer<typeof planBody>): { settings: RunSettings; asked: number } => {
    const asked = body.hypotheses ?? 3;
    const { elo_k, temperatures, ...plan } = advanced.parse(body.settings ?? {});
    const settings = researchSettingsSchema.parse({ ...plan, hypotheses: Math.min(asked, deps.maxHypothesesPerCycle), cycles: body.cycles ?? 1 });
    return { asked, settings: { ...settings, elo_k, temperatures } };
  };
  const id = (req: Request) => String(req.params.id);

  route(router, '/research/estimate', {
    post: (req, res) => {
      const body = planBody.parse(req.body);
      const { mode, fallbacks } = deps.gate.preview(visitor(req), body.model);
      const { settings, asked } = settingsOf(body);
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

  route(router, '/research/runs', {
    get: (req, res) => void res.json({ runs: deps.service.runs(req.sessionId).map(runSummary) }),
    post: (req, res) => {
      const body = startBody.parse(req.body);
      const { settings, asked } = settingsOf(body);
      const { call, admission } = deps.gate.admit(visitor(req), body.model, { requests: 1, cycles: settings.cycles });
      const { run, job, estimate } = refundIfThrows(admission, () => deps.service.start({ sessionId: req.sessionId, call, goal: body.goal, settings }));
      res
        .status(202)
        .json({ id: run.id, estimate, queue: job, clamped: asked > settings.hypotheses ? { hypotheses: { asked, max: deps.maxHypothesesPerCycle } } : null });
    },
  });
  route(router, '/research/runs/:id', { get: (req, res) => void res.json(runView(getRun(deps.store, id(req)), req.sessionId)) });
  route(router, '/research/runs/:id/cycles', {
    post: (req, res) => {
      const { cycles } = moreBody.parse(req.body ?? {});
      const run = deps.service.assertCanContinue(id(req), req.sessionId);
      const { call, admission } = deps.gate.admit(visitor(req), run.model, { requests: 1, cycles });
      res.status(202).json(refundIfThrows(admission, () => deps.service.more(run.id, call, cycles)));
    },
  });
  route(router, '/research/runs/:id/cancel', { post: (req, res) => void res.json(runView(deps.service.cancel(id(req), req.sessionId), req.sessionId)) });
  route(router, '/research/runs/:id/resume', {
    post: (req, res) => {
      const run = deps.service.assertResumable(id(req), req.sessionId);
      // Whoever resumes pays from here: a run moving onto the Space's key has its remaining cycles counted.
      const payer = deps.gate.preview(visitor(req), run.model).mode;
      const cycles = payer === 'server' && run.key_mode === 'byok' ? run.pending_cycles : 0;
      const { call, admission } = deps.gate.admit(visitor(req), run.model, { requests: 1, cycles });
      res.status(202).json({ queue: refundIfThrows(admission, () => deps.service.resume(run.id, call)) });
    },
  });
  route(router, '/research/runs/:id/hypotheses', {
    post: (req, res) => void res.status(201).json(deps.service.addHypothesis(id(req), req.sessionId, hypothesisBody.parse(req.body))),
  });
  route(router, '/research/runs/:id/hypotheses/:hid', {
    patch: (req, res) => void res.json(deps.service.mark(id(req), req.sessionId, String(req.params.hid), markBody.parse(req.body))),
  });
  route(router, '/research/runs/:id/reviews', {
    post: (req, res) => {
      const { hypothesis_id, ...review } = reviewBody.parse(req.body);
      deps.service.addReview(id(req), req.sessionId, hypothesis_id, { ...review, references: [] });
      res.status(201).json(runView(getRun(deps.store, id(req)), req.sessionId));
    },
  });
  route(router, '/research/runs/:id/notes', {
    post: (req, res) => {
      deps.service.addNote(id(req), req.sessionId, noteBody.parse(req.body).text);
      res.status(201).json(runView(getRun(deps.store, id(req)), req.sessionId));
    },
  });
  route(router, '/research/runs/:id/export', {
    get: (req, res) => {
      const run = getRun(deps.store, id(req));
      const format = req.query.format === 'json' ? 'json' : req.query.format === 'md' || req.query.format === undefined ? 'md' : null;
      if (!format) throw new AppError(400, 'invalid_format', 'Use ?format=md or ?format=json.');
      const name = `labcoat-${run.id}`;
      if (format === 'json') {
        const { owner: _owner, ...view } = runView(run, undefined);
        res.set('Content-Disposition', `attachment; filename="${name}.json"`).json({ ...view, simulated: deps.simulated });
      } else {
        res
          .set('Content-Disposition', `attachment; filename="${name}.md"`)
          .type('text/markdown')
          .send(runMarkdown(run, { simulated: deps.simulated }));
      }
    },
  });
  return router;
}
