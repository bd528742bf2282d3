import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Router } from 'express';
import type { AppError } from '../core/errors/app-error.js';
import type { FailedAuthWindow } from '../core/policy/failed-auth-window.js';
import type { TopicHandler } from '../core/realtime/hub.js';

/** What the HTTP shell gives a feature besides the core: the request's client address and the shell's state. */
export interface HttpContext {
  /** The client's address, through the proxies the server trusts. */
  clientIp(req: IncomingMessage): string;
  /** 421 when the request's Host is not one the server is known by. */
  hostRefusal(req: IncomingMessage): AppError | undefined;
  isDraining(): boolean;
  /** Refused keys and admin tokens per address (guessing). */
  failedAuth: FailedAuthWindow;
}

/** Paths a feature answers before Express (the /v1 hot path), with errors in their own shape. */
export interface RawRoute {
  matches(url: string | undefined): boolean;
  /** Absent while the feature is off: its paths reach Express, whose errors still take this shape. */
  handle?: (req: IncomingMessage, res: ServerResponse) => void;
  errorShape(err: AppError): unknown;
}

/** What a mounted feature hands the shell; every part is optional. */
export interface Feature {
  /** Routes answered before durable answers and sessions (/health, /metrics). */
  probes?: Router;
  /** Routes under /api (sessions, CORS, JSON bodies). */
  api?: Router;
  /** POST paths under /api whose JSON body may be up to 2 MB (an uploaded suite). */
  largeBodies?: string[];
  /** Routes under /admin/api (the owner's token; failed attempts are rate limited). */
  admin?: Router;
  raw?: RawRoute;
  /** Live topics this feature publishes, with their first snapshot. */
  topics?: TopicHandler[];
  /** Forgets what has expired (called every minute). */
  prune?(): void;
  /** Releases what the feature holds, once no request can reach it. */
  close?(): void;
}
