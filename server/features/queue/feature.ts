import type { Core } from '../../core/core.js';
import type { Feature } from '../../http/feature.js';
import { jobRoutes } from './routes.js';

/** The job queue's API: /api/queue and /api/jobs/:id (read, cancel, resume). */
export function mountQueue(core: Core): Feature {
  return { api: jobRoutes(core.jobs, core.runs) };
}
