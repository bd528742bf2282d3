/** What the batch runs API accepts: the selection of endpoints, suites and judge, and the results chat's body. */
import { z } from 'zod';
import { AppError } from '../../core/errors/app-error.js';
import type { EndpointChoice } from './batch-service.js';
import { CURATED_SUITE_IDS } from './curated-suites.js';
import { resolveSuites } from './run-plan.js';
import { parseUpload, uploadSchema } from './suite-upload.js';

const sessionId = z.string().min(1).max(64);
const modelId = z.string().trim().min(1).max(200);
export const selection = z
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

export const chatBody = z.strictObject({
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

/** The endpoints, suites and judge a request picked. */
export function selectedPlan(body: z.infer<typeof selection>) {
  const custom = body.custom_suite ? parseUpload(body.custom_suite) : null;
  const suites = resolveSuites(body.suites === 'all' ? CURATED_SUITE_IDS : body.suites, custom);
  if (suites.length === 0) throw new AppError(400, 'no_suite', 'Pick at least one suite, or upload your own.');
  const endpoints: EndpointChoice[] = body.session_ids.map((session_id) => ({ session_id }));
  if (body.compare_model) endpoints.push({ session_id: body.session_ids[0]!, model: body.compare_model });
  const j = body.judge === undefined ? {} : body.judge;
  const judge = j === null ? null : { endpoint: j.endpoint ?? endpointOf(body.session_ids, j.session_id), model: j.model };
  return { endpoints, suites, judge };
}

/** The index of the endpoint using this session (the first, when none is named). */
export function endpointOf(sessionIds: readonly string[], sessionId: string | undefined): number {
  if (sessionId === undefined) return 0;
  const i = sessionIds.indexOf(sessionId);
  if (i < 0) throw new AppError(400, 'not_in_run', 'Name one of the run\u2019s endpoints (its batch session), or a model the Space offers.');
  return i;
}
