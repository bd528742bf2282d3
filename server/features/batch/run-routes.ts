import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../core/errors/app-error.js';
import type { MeteredLlm } from '../../core/accounting/metered-llm.js';
import type { BatchService, EndpointChoice, RunRequest } from './batch-service.js';
import { resolveSuites } from './run-plan.js';
import { CURATED_SUITE_IDS } from './curated-suites.js';
import { exportCsv, exportJson } from './export.js';
import { resultsSummary } from './results-summary.js';
import { liveSummary } from './run-view.js';
import { parseUpload, uploadSchema } from './suite-upload.js';
import type { ChatMessage, LlmClient } from '../../core/llm/llm-client.js';
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

const sessionId = z.string().min(1).max(64);
const modelId = z.string().trim().min(1).max(200);
const selection = z
  .strictObject({
    session_ids: z
      .array(sessionId)
      .min(1)
      .max(2)
      .refine((ids) => new Set(ids).size === ids.length, 'compare two different sessions'),
    /** With one session: compare its model with this other model on the same endpoint and key. */
    compare_model: modelId.optional(),
    suites: z
      .union([z.literal('all'), z.array(z.string().max(64)).max(CURATED_SUITE_IDS.length)])
      .default([])
      .refine((ids) => ids === 'all' || new Set(ids).size === ids.length, 'name each suite once'),
    custom_suite: uploadSchema.optional(),
    // Omitted: the first endpoint judges with its own model; null: rubric checks are not judged.
    judge: z
      .strictObject({ endpoint: z.number().int().min(0).max(1).optional(), session_id: sessionId.optional(), model: modelId.optional() })
      .nullable()
      .optional(),
  })
  .refine((b) => !(b.compare_model && b.session_ids.length > 1), {
    path: ['compare_model'],
    message: 'compare_model needs exactly one session (it runs a second model on it)',
  });

const chatBody = z.strictObject({
  messages: z
    .array(z.strictObject({ role: z.enum(['user', 'assistant']), content: z.string().min(1).max(4000) }))
    .min(1)
    .max(20),
  /** Which of the run's endpoints answers (0 or 1); or the one using this batch session. */
  endpoint: z.number().int().min(0).max(1).optional(),
  session_id: sessionId.optional(),
  model: modelId.optional(),
  /** A model the Space offers instead of the visitor's endpoint (quotas and the cap apply). */
  space_model: z.string().trim().min(3).max(200).optional(),
});

const CHAT_INSTRUCTIONS =
  'You help a developer read the results of a batch test of language models. Answer from the summary below; say so when it does not hold the answer. Be concise and concrete (name prompts, suites and numbers).';
const CHAT_MAX_TOKENS = 800;

/** Batch runs: start (with an estimate), follow, cancel, resume, retry failures, export, and chat about results. */
export function batchRunRoutes(deps: BatchRunRouteDeps): Router {
  const router = Router();
  const { service } = deps;
  const runBody = selection.extend({
    concurrency: z.number().int().min(1).max(deps.maxConcurrency).optional(),
    timeout_s: z.number().int().min(5).max(deps.maxTimeoutS).optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
  });

  const selected = (body: z.infer<typeof selection>) => {
    const custom = body.custom_suite ? parseUpload(body.custom_suite) : null;
    const suites = resolveSuites(body.suites === 'all' ? CURATED_SUITE_IDS : body.suites, custom);
    if (suites.length === 0) throw new AppError(400, 'no_suite', 'Pick at least one suite, or upload your own.');
    const endpoints: EndpointChoice[] = body.session_ids.map((session_id) => ({ session_id }));
    if (body.compare_model) endpoints.push({ session_id: body.session_ids[0]!, model: body.compare_model });
    const j = body.judge === undefined ? {} : body.judge;
    const judge = j === null ? null : { endpoint: j.endpoint ?? endpointOf(body.session_ids, j.session_id), model: j.model };
    return { endpoints, suites, judge };
  };

  route(router, '/batch/suites/parse', {
    // Validates an upload without running it: the page shows what it found, or every bad row.
    post: (req, res) => {
      const suite = parseUpload(uploadSchema.parse(req.body));
      const checks: Record<string, number> = {};
      for (const p of suite.prompts) if (p.check) checks[p.check.type] = (checks[p.check.type] ?? 0) + 1;
      res.json({
        name: suite.name,
        prompt_count: suite.prompts.length,
        checks,
        categories: [...new Set(suite.prompts.map((p) => p.category))],
        preview: suite.prompts.slice(0, 5),
      });
    },
  });
  route(router, '/batch/estimate', {
    post: (req, res) => void res.json(service.estimate(req.sessionId, selected(selection.parse(req.body)))),
  });
  route(router, '/batch/runs', {
    get: (req, res) => void res.json({ runs: service.list(req.sessionId).map(liveSummary) }),
    post: (req, res) => {
      const body = runBody.parse(req.body);
      const request: RunRequest = {
        ...selected(body),
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
      const summary = resultsSummary(view);
      const messages: ChatMessage[] = [{ role: 'system', content: `${CHAT_INSTRUCTIONS}\n\n${summary}` }, ...body.messages];
      const request = { messages, max_tokens: CHAT_MAX_TOKENS };
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

/** The index of the endpoint using this session (the first, when none is named). */
function endpointOf(sessionIds: readonly string[], sessionId: string | undefined): number {
  if (sessionId === undefined) return 0;
  const i = sessionIds.indexOf(sessionId);
  if (i < 0) throw new AppError(400, 'not_in_run', 'Name one of the run\u2019s endpoints (its batch session), or a model the Space offers.');
  return i;
}
