import { rateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from './app-error.js';

/** Baseline abuse limit per client IP for every API call, whatever the key mode. */
export function baselineRateLimit(perMinute: number): RequestHandler {
  return perIpLimit(perMinute, 'rate_limited', `Too many requests from your address (${perMinute} per minute).`);
}

/**
 * Key guessing: only refused authentications count (401), so a program with a valid key, or many
 * behind one address, is never slowed by this.
 */
export function failedAuthLimit(perMinute: number): RequestHandler {
  return perIpLimit(perMinute, 'too_many_failed_authentications', `Too many requests with a wrong key from your address (${perMinute} per minute).`, (_req, res) => res.statusCode !== 401);
}

function perIpLimit(perMinute: number, code: string, what: string, succeeded?: (req: Request, res: Response) => boolean): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(succeeded ? { skipSuccessfulRequests: true, requestWasSuccessful: succeeded } : {}),
    // trust proxy is decided in config (validated there); the library's own heuristic would warn on "1".
    validate: { trustProxy: false, xForwardedForHeader: false },
    handler: (req, _res, next) => {
      const reset = (req as { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime();
      const retryAfter = Math.max(1, Math.ceil(((reset ?? Date.now() + 60_000) - Date.now()) / 1000));
      next(new AppError(429, code, `${what} Wait ${retryAfter} s and try again.`, { headers: { 'Retry-After': String(retryAfter) } }));
    },
  });
}
