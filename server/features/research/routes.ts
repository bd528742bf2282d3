import { Router, type Request } from 'express';
import { hypothesisBody, markBody, moreBody, noteBody, planBody, researchPlanBody, reviewBody, settingsOf, startBody } from './run-requests.js';
import type { MeteredLlm } from '../../core/accounting/metered-llm.js';
import { isFree, perMillion, type Price } from '../../core/accounting/pricing.js';
import { estimateResearch } from './estimate.js';
import { runMarkdown } from './export.js';
import { literatureMethods } from './methods.js';
import { preregistration } from './preregistration.js';
import type { ResearchService } from './research-service.js';
import { runSummary, type runViews } from './run-view.js';
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
  maxHypothesesPerCycle: number;
  /** Set by `npm run demo`: exports say the content came from a simulated model. */
  simulated: boolean;
  runView: ReturnType<typeof runViews>;
}

/** The research API: estimate, start, read, more cycles, cancel, resume, the scientist's actions, export. */
export function researchRoutes(deps: ResearchRouteDeps): Router {
  const router = Router();
  const runView = deps.runView;
  const id = (req: Request) => String(req.params.id);

  route(router, '/research/estimate', {
    post: (req, res) => {
      const body = planBody.parse(req.body);
      const { mode, fallbacks } = deps.gate.preview(visitor(req), body.model);
      const { settings, asked } = settingsOf(body, deps.maxHypothesesPerCycle);
      // Priced as reservations are: the dearest of the model and the fallbacks it may use.
      const price = deps.metered.chainPrice({ target: { model: body.model }, fallbacks });
      const estimate = estimateResearch(settings, price, {
        goalBytes: body.goal ? Buffer.byteLength(body.goal, 'utf8') : undefined,
        literature: deps.service.literaturePlan,
      });
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
    get: (req, res) => void res.json({ runs: deps.service.list(req.sessionId).map(runSummary) }),
    post: (req, res) => {
      const body = startBody.parse(req.body);
      const { settings, asked } = settingsOf(body, deps.maxHypothesesPerCycle);
      const { call, admission } = deps.gate.admit(visitor(req), body.model, { requests: 1, cycles: settings.cycles });
      const { run, job, estimate } = refundIfThrows(admission, () => deps.service.start({ sessionId: req.sessionId, call, goal: body.goal, settings }));
      res
        .status(202)
        .json({ id: run.id, estimate, queue: job, clamped: asked > settings.hypotheses ? { hypotheses: { asked, max: deps.maxHypothesesPerCycle } } : null });
    },
  });
  route(router, '/research/runs/:id', { get: (req, res) => void res.json(runView(deps.service.get(id(req)), req.sessionId)) });
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
    post: (req, res) => void res.status(201).json(deps.service.input.addHypothesis(id(req), req.sessionId, hypothesisBody.parse(req.body))),
  });
  route(router, '/research/runs/:id/hypotheses/:hid', {
    patch: (req, res) => void res.json(deps.service.input.mark(id(req), req.sessionId, String(req.params.hid), markBody.parse(req.body))),
  });
  route(router, '/research/runs/:id/hypotheses/:hid/preregistration', {
    get: (req, res) => {
      const run = deps.service.get(id(req));
      const h = run.hypotheses.find((x) => x.id === String(req.params.hid));
      if (!h) throw new AppError(404, 'hypothesis_not_found', 'This run has no hypothesis with that id.');
      res
        .set('Content-Disposition', `attachment; filename="labcoat-${run.id}-${h.id}-preregistration.md"`)
        .type('text/markdown')
        .send(preregistration(run, h, { simulated: deps.simulated }));
    },
  });
  route(router, '/research/runs/:id/plan', {
    put: (req, res) => {
      deps.service.input.setPlan(id(req), req.sessionId, researchPlanBody.parse(req.body));
      res.json(runView(deps.service.get(id(req)), req.sessionId));
    },
  });
  route(router, '/research/runs/:id/reviews', {
    post: (req, res) => {
      const { hypothesis_id, ...review } = reviewBody.parse(req.body);
      deps.service.input.addReview(id(req), req.sessionId, hypothesis_id, { ...review, references: [] });
      res.status(201).json(runView(deps.service.get(id(req)), req.sessionId));
    },
  });
  route(router, '/research/runs/:id/notes', {
    post: (req, res) => {
      deps.service.input.addNote(id(req), req.sessionId, noteBody.parse(req.body).text);
      res.status(201).json(runView(deps.service.get(id(req)), req.sessionId));
    },
  });
  route(router, '/research/runs/:id/export', {
    get: (req, res) => {
      const run = deps.service.get(id(req));
      const format = req.query.format === 'json' ? 'json' : req.query.format === 'md' || req.query.format === undefined ? 'md' : null;
      if (!format) throw new AppError(400, 'invalid_format', 'Use ?format=md or ?format=json.');
      const name = `labcoat-${run.id}`;
      if (format === 'json') {
        const { owner: _owner, ...view } = runView(run, undefined);
        res.set('Content-Disposition', `attachment; filename="${name}.json"`).json({ ...view, methods: literatureMethods(run), simulated: deps.simulated });
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
