import type { Config } from './schema.js';
import type { RuntimeEnv } from './env.js';
import { isSameOrigin } from '../policy/host-rules.js';

export type Mode = 'inference' | 'data-only';

/** Settings that depend on both config.yaml and the environment, decided in one place. */
export interface Resolved {
  mode: Mode;
  trustProxy: boolean | number | string[];
  /** Exact origins allowed, plus whether any localhost port is allowed (development). */
  allowedOrigins: { exact: string[]; anyLocalhost: boolean };
  /** Host headers the server answers besides loopback (DNS rebinding guard): "name" or "name:port". */
  allowedHosts: string[];
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
    allowedHosts: [...new Set([...(env.spaceHost ? [env.spaceHost] : []), ...exact.map((o) => new URL(o).hostname), ...config.server.allowed_hosts])],
    allowedModels: config.cost_control.allowed_models[env.deploymentEnv],
    crossSiteCookies: Boolean(env.spaceId),
  };
}

const LOCALHOST = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/**
 * Whether a browser Origin may call the API or open a live socket. `own` is the request's own origin
 * (its real scheme and a Host that passed the allow-list), undefined when it has none.
 */
export function isOriginAllowed(origin: string | undefined, own: string | undefined, allowed: Resolved['allowedOrigins']): boolean {
  if (!origin) return true; // not a browser cross-origin request (curl, SDKs, same-origin GET)
  if (allowed.exact.includes(origin)) return true;
  if (allowed.anyLocalhost && LOCALHOST.test(origin)) return true;
  return own !== undefined && isSameOrigin(origin, own);
}
