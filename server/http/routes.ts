import type { RequestHandler, Router } from 'express';
import { methodNotAllowed } from './error-middleware.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Declares a path with its handlers per method; any other method gets 405 with an Allow header. */
export function route(router: Router, path: string, handlers: Partial<Record<Method, RequestHandler>>): void {
  const r = router.route(path);
  const allowed: string[] = [];
  for (const [method, handler] of Object.entries(handlers) as [Method, RequestHandler][]) {
    r[method](handler);
    allowed.push(method.toUpperCase());
  }
  if (allowed.includes('GET')) allowed.push('HEAD');
  r.all(methodNotAllowed(allowed));
}
