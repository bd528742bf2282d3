import { Router } from 'express';
import { z } from 'zod';
import { guardEndpoint, type Resolver } from './endpoint-guard.js';
import { suiteSummaries } from './curated-suites.js';
import type { LlmClient } from '../../core/llm/llm-client.js';
import { testConnection } from './connection-test.js';
import type { BatchSessions } from './batch-sessions.js';
import { AppError } from '../../core/errors/app-error.js';
import { route } from '../../http/routes.js';

export interface BatchRouteDeps {
  llm: LlmClient;
  sessions: BatchSessions;
  allowPrivate: boolean;
  resolve: Resolver;
  /** Deadline of "Test connection" (config llm.timeouts_seconds.connect). */
  connectTimeoutMs: number;
}

const endpointBody = z.strictObject({
  base_url: z.string().trim().min(8).max(500),
  // What an HTTP header can carry: a NUL or non-Latin-1 key fails inside fetch as a "network error" (502, breaker).
  api_key: z
    .string()
    .trim()
    .min(1)
    .max(512)
    .regex(/^[\x21-\x7e]+$/),
  model: z.string().trim().min(1).max(200),
});
const sessionBody = endpointBody.extend({ label: z.string().trim().min(1).max(80).optional() });

/** Batch endpoints: the curated suites, "Test connection", and the batch sessions that keep a tested endpoint. */
export function batchRoutes(deps: BatchRouteDeps): Router {
  const router = Router();
  route(router, '/batch/suites', { get: (_req, res) => void res.json({ suites: suiteSummaries() }) });
  route(router, '/batch/connect', {
    // One small call with the visitor's key to the visitor's endpoint (never stored): latency, the
    // reply, and the endpoint's model list when it has one; failures come back typed, with advice.
    post: async (req, res) => {
      const body = parseEndpoint(endpointBody, req.body);
      const endpoint = await guardEndpoint(body.base_url, { allowPrivate: deps.allowPrivate, resolve: deps.resolve });
      res.json(await testConnection(deps.llm, endpoint, body.api_key, body.model, deps.connectTimeoutMs));
    },
  });
  route(router, '/batch/sessions', {
    get: (req, res) => void res.json({ sessions: deps.sessions.list(req.sessionId) }),
    // The connection is tested first: a session only ever holds an endpoint that answered.
    post: async (req, res) => {
      const body = parseEndpoint(sessionBody, req.body);
      const endpoint = await guardEndpoint(body.base_url, { allowPrivate: deps.allowPrivate, resolve: deps.resolve });
      const connection = await testConnection(deps.llm, endpoint, body.api_key, body.model, deps.connectTimeoutMs);
      const session = deps.sessions.create(req.sessionId, req.ip ?? 'unknown', {
        base_url: endpoint.baseUrl,
        pin: endpoint.pin,
        model: body.model,
        label: body.label ?? null,
        api_key: body.api_key,
      });
      res.status(201).json({ ...session, connection });
    },
  });
  route(router, '/batch/sessions/:id', {
    delete: async (req, res) => {
      deps.sessions.delete(String(req.params.id), req.sessionId);
      await deps.sessions.durable(); // the key is gone from disk too before we say so (end() is not send())
      res.status(204).end();
    },
  });
  return router;
}

/** The body; a key of the wrong shape is the caller's plain mistake (400), not a field to list among 422's. */
function parseEndpoint<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  if (parsed.error.issues.some((i) => i.path[0] === 'api_key' && i.code !== 'invalid_type')) {
    throw new AppError(
      400,
      'invalid_key_format',
      'api_key must be 1 to 512 visible ASCII characters, with no spaces, line breaks or control characters. Copy the key again from your provider.',
    );
  }
  throw parsed.error;
}
