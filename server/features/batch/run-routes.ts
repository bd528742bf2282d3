import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../core/errors/app-error.js';
import type { MeteredLlm } from '../../core/accounting/metered-llm.js';
import type { BatchService, RunRequest } from './batch-service.js';
import { chatBody, endpointOf, selectedPlan, selection } from './run-requests.js';
import { exportCsv, exportJson } from './export.js';
import { resultsChatRequest } from './results-summary.js';
import { liveSummary } from './run-view.js';
import { parseUpload, uploadSchema, uploadSummary } from './suite-upload.js';
import type { LlmClient } from '../../core/llm/llm-client.js';
import { callSummary, meteredSummary, refundIfNothingHappened } from '../../core/accounting/call-summary.js';
import { streamReply } from '../../http/event-stream.js';
import { visitor, type AdmissionPolicy } from '../../core/policy/admission.js';
import { route } from '../../http/routes.js';

export interface BatchRunRouteDeps {
  service: BatchService;
  llm: LlmClient;
  /** Who may call which model on which key, with which fallbacks, under which limits (policy/admission.ts). */
  gate: AdmissionPolicy;
  metered: MeteredLlm;
  maxConcurrency: number;
  /** Per-prompt deadline ceiling and default (config llm.timeouts_seconds.batch). */
  maxTimeoutS: number;
  chatTimeoutMs: number;
  version: string;
  now(): number;
}

/** Batch runs: start (with an estimate), follow, cancel, resume, retry failures, export, and chat about results. */
export function batchRunRoutes(deps: BatchRunRouteDeps): Router {
  const router = Router();
  const { service } = deps;
  const runBody = selection.extend({
    concurrency: z.number().int().min(1).max(deps.maxConcurrency).optional(),
    timeout_s: z.number().int().min(5).max(deps.maxTimeoutS).optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
  });

  route(router, '/batch/suites/parse', {
    // Validates an upload without running it: the page shows what it found, or every bad row.
    post: (req, res) => {
      res.json(uploadSummary(parseUpload(uploadSchema.parse(req.body))));
    },
  });
  route(router, '/batch/estimate', {
    post: (req, res) => void res.json(service.estimate(req.sessionId, selectedPlan(selection.parse(req.body)))),
  });
  route(router, '/batch/runs', {
    get: (req, res) => void res.json({ runs: service.list(req.sessionId).map(liveSummary) }),
    post: (req, res) => {
      const body = runBody.parse(req.body);
      const request: RunRequest = {
        ...selectedPlan(body),
        concurrency: body.concurrency ?? deps.maxConcurrency,
        timeout_ms: (body.timeout_s ?? deps.maxTimeoutS) * 1000,
        temperature: body.temperature ?? null,
      };
      const { run, job, estimate } = service.start(req.sessionId, request);
      res.status(202).json({ id: run.id, total: estimate.total, estimate, job });
    },
  });
  route(router, '/batch/runs/:id', { get: (req, res) => void res.json(service.view(String(req.params.id), req.sessionId)) });
  // 202: a running run stops its calls first; its state turns to "cancelled" (live topic, or GET) when they end.
  route(router, '/batch/runs/:id/cancel', {
    post: (req, res) => {
      service.cancel(String(req.params.id), req.sessionId);
      res.status(202).json(service.view(String(req.params.id), req.sessionId));
    },
  });
  route(router, '/batch/runs/:id/resume', { post: (req, res) => void res.status(202).json({ job: service.resume(String(req.params.id), req.sessionId) }) });
  route(router, '/batch/runs/:id/retry-failed', {
    post: (req, res) => void res.status(202).json({ job: service.retryFailed(String(req.params.id), req.sessionId) }),
  });
  route(router, '/batch/runs/:id/export', {
    get: (req, res) => {
      const format = req.query.format ?? 'json';
      if (format !== 'csv' && format !== 'json') throw new AppError(400, 'invalid_format', 'Export as ?format=csv or ?format=json.');
      const view = service.view(String(req.params.id), req.sessionId);
      res.attachment(`labcoat-${view.id}.${format}`);
      if (format === 'csv') return void res.type('text/csv; charset=utf-8').send(exportCsv(view));
      res.json(exportJson(view, { version: deps.version, exported_at: new Date(deps.now()).toISOString() }));
    },
  });
  route(router, '/batch/runs/:id/chat', {
    // Streamed (SSE) like POST /api/chat: the run's summary goes first, then the conversation.
    post: async (req, res) => {
      const body = chatBody.parse(req.body);
      const id = String(req.params.id);
      const view = service.view(id, req.sessionId);
      const request = resultsChatRequest(view, body.messages);
      if (body.space_model) {
        const { call, admission } = deps.gate.admit(visitor(req), body.space_model, { requests: 1, cycles: 0 });
        return streamReply(
          res,
          async (onDelta, signal) => meteredSummary(await deps.metered.chat(call, request, { timeoutMs: deps.chatTimeoutMs, signal, onDelta })),
          (err) => refundIfNothingHappened(err, admission.refund),
        );
      }
      const endpoint =
        body.endpoint ??
        endpointOf(
          view.endpoints.map((e) => e.session_id),
          body.session_id,
        );
      const target = service.chatTarget(id, req.sessionId, endpoint, body.model);
      await streamReply(res, async (onDelta, signal) => callSummary(await deps.llm.chat(target, request, { timeoutMs: deps.chatTimeoutMs, signal, onDelta })));
    },
  });
  return router;
}
