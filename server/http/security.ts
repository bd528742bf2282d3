import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';
import cors from 'cors';
import type { RequestHandler } from 'express';
import { AppError } from '../core/errors/app-error.js';

/**
 * Strict CSP: scripts only from this origin plus the hash of the inline import map;
 * no inline styles or handlers; framing only by the Space page on huggingface.co.
 */
export function securityHeaders(scriptHashes: string[]): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...scriptHashes.map((h) => `'${h}'`)],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'", 'https://huggingface.co'],
      },
    },
    // frame-ancestors above replaces X-Frame-Options, which cannot allow huggingface.co.
    frameguard: false,
    crossOriginEmbedderPolicy: false,
  });
}

export interface OriginPolicy {
  /** With the request: listed origins or its own (real scheme, allowed Host). Without: listed origins only (CORS headers). */
  isAllowed(origin: string | undefined, req?: IncomingMessage): boolean;
}

/** CORS for allowed origins only, and no state-changing request from any other origin (CSRF). */
export function corsPolicy(policy: OriginPolicy): RequestHandler[] {
  const corsMiddleware = cors({
    origin: (origin, cb) => cb(null, origin === undefined ? false : policy.isAllowed(origin)),
    credentials: true,
    exposedHeaders: ['X-Session-ID', 'X-Request-ID', 'Retry-After'],
    maxAge: 600,
  });
  const refuseForeignWrites: RequestHandler = (req, _res, next) => {
    const safe = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
    if (safe || policy.isAllowed(req.headers.origin, req)) return next();
    next(
      new AppError(403, 'origin_not_allowed', `Requests from ${req.headers.origin} are not allowed. Add the origin to server.allowed_origins in config.yaml.`),
    );
  };
  return [corsMiddleware, refuseForeignWrites];
}
