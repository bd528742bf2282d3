import { Router, type Request } from 'express';
import { AppError } from '../../core/errors/app-error.js';
import type { RunLifecycle } from '../../core/jobs/run-lifecycle.js';
import type { JobQueue } from '../../core/jobs/queue.js';
import { route } from '../../http/routes.js';

/**
 * Read a job, cancel it, resume it. Only the session that started a job may change it, and a job
 * of a run is changed through its run's routes (the run kind names them).
 */
export function jobRoutes(queue: JobQueue, runs: Pick<RunLifecycle, 'routesFor'>): Router {
  const router = Router();
  const owned = (req: Request): string => {
    const id = String(req.params.id);
    const job = queue.get(id);
    if (!job) throw new AppError(404, 'job_not_found', 'There is no job with this id.');
    // A run keeps its own state around its job: it must see every cancel and resume.
    const routes = runs.routesFor(job.kind);
    if (routes) throw new AppError(409, 'managed_job', `Cancel or resume this from its run (${routes}).`);
    if (job.session_id !== null && job.session_id !== req.sessionId) {
      throw new AppError(403, 'not_your_job', 'Only the session that started this job can change it.');
    }
    return id;
  };
  route(router, '/queue', { get: (_req, res) => void res.json(queue.snapshot()) });
  route(router, '/jobs/:id', {
    get: (req, res) => {
      const view = queue.view(String(req.params.id));
      if (!view) throw new AppError(404, 'job_not_found', 'There is no job with this id.');
      res.json(view);
    },
  });
  route(router, '/jobs/:id/cancel', { post: (req, res) => void res.json(queue.cancel(owned(req))) });
  route(router, '/jobs/:id/resume', { post: (req, res) => void res.status(202).json(queue.resume(owned(req))) });
  return router;
}
