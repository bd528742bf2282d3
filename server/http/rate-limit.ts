import { rateLimit, type RateLimitInfo } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import type { FailedAuthWindow } from '../core/policy/failed-auth-window.js';
import { AppError } from '../core/errors/app-error.js';

/** Baseline abuse limit per client IP for every API call, whatever the key mode. */
export function baselineRateLimit(perMinute: number): RequestHandler {
  return perIpLimit(perMinute, 'rate_limited', `Too many requests from your address (${perMinute} per minute).`);
}

/** Key guessing on an Express route (the admin API): only refused authentications (401) count. */
export function failedAuthLimit(window: FailedAuthWindow): RequestHandler {
  return (req, res, next) => {
    const ip = req.ip ?? '';
    window.check(ip);
    res.on('finish', () => res.statusCode === 401 && window.failed(ip));
    next();
  };
}

function perIpLimit(perMinute: number, code: string, what: string): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // trust proxy is decided in config (validated there); the library's own heuristic would warn on "1".
    validate: { trustProxy: false, xForwardedForHeader: false },
    handler: (req, _res, next) => {
      const reset = (req as { rateLimit?: RateLimitInfo }).rateLimit?.resetTime?.getTime();
      const retryAfter = Math.max(1, Math.ceil(((reset ?? Date.now() + 60_000) - Date.now()) / 1000));
      next(new AppError(429, code, `${what} Wait ${retryAfter} s and try again.`, { headers: { 'Retry-After': String(retryAfter) } }));
    },
  });
}
