import type { Config } from './schema.js';
import type { RuntimeEnv } from './env.js';

export type Mode = 'inference' | 'data-only';

/** Settings that depend on both config.yaml and the environment, decided in one place. */
export interface Resolved {
  mode: Mode;
  trustProxy: boolean | number | string[];
  /** Exact origins allowed, plus whether any localhost port is allowed (development). */
  allowedOrigins: { exact: string[]; anyLocalhost: boolean };
  allowedModels: string[];
  /** Cookies must cross the huggingface.co iframe when served as a Space over HTTPS. */
  crossSiteCookies: boolean;
}

export function resolveSettings(config: Config, env: RuntimeEnv): Resolved {
  const { trust_proxy: trustProxy, allowed_origins: origins } = config.server;
  const exact = origins === 'auto' ? (env.spaceHost ? [`https://${env.spaceHost}`] : []) : origins.map((o) => o.replace(/\/$/, ''));
  return {
    mode: env.serverKey ? 'inference' : 'data-only',
    trustProxy: trustProxy === 'auto' ? (env.spaceId ? 1 : false) : trustProxy,
    allowedOrigins: { exact, anyLocalhost: origins === 'auto' && env.deploymentEnv === 'development' },
    allowedModels: config.cost_control.allowed_models[env.deploymentEnv],
    crossSiteCookies: Boolean(env.spaceId),
  };
}

const LOCALHOST = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/** Whether a browser Origin may call the API or open a live socket. Same-origin is always allowed. */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowed: Resolved['allowedOrigins']): boolean {
  if (!origin) return true; // not a browser cross-origin request (curl, SDKs, same-origin GET)
  if (allowed.exact.includes(origin)) return true;
  if (allowed.anyLocalhost && LOCALHOST.test(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
