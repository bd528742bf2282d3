import type { Core } from '../../core/core.js';
import type { Slice } from '../../core/store/slice.js';
import type { Feature, HttpContext } from '../../http/feature.js';
import { adminRoutes } from './admin-routes.js';
import { gatewayHandler, isGatewayPath } from './gateway-handler.js';
import { type GatewayUsage, GatewayUsageBook } from './gateway-usage.js';
import { IssuedKeys, type IssuedKeyRecord } from './issued-keys.js';
import { openAiError } from './openai-format.js';

/** The part of the state document the gateway keeps. */
export interface GatewayState {
  /** Gateway keys the owner issued, by id (only their SHA-256 hash). */
  issued_keys: Record<string, IssuedKeyRecord>;
  /** Gateway usage per UTC day, key and model: the billing record. */
  gateway_usage: GatewayUsage;
}

/** Issued keys and usage records came in schema v6. */
export const gatewaySlice: Slice<GatewayState> = {
  empty: () => ({ issued_keys: {}, gateway_usage: {} }),
  migrations: [{ to: 6, up: (s) => ({ ...s, issued_keys: {}, gateway_usage: {} }) }],
};

/** The OpenAI-compatible /v1 gateway with keys the owner issues, and the admin API that issues them. */
export function mountGateway(core: Core<GatewayState>, http: HttpContext): Feature {
  const { config, env, clock } = core;
  const gw = config.gateway;
  const keys = new IssuedKeys({
    store: core.store,
    clock,
    defaults: { rpm: gw.default_key_rpm, daily_usd: gw.default_key_daily_usd, max_concurrent: gw.default_key_max_concurrent },
  });
  const usage = new GatewayUsageBook({ store: core.store, clock });
  usage.chargeRecovered(core.recovered);
  const handle = gatewayHandler({
    keys,
    admission: core.gate,
    usage,
    metered: core.metered,
    timeoutMs: config.llm.timeouts_seconds.gateway * 1000,
    now: () => clock.now(),
    bodyLimitKb: config.server.body_limit_kb,
    logger: core.logger,
    metrics: core.metrics,
    ...http,
  });
  return {
    // /v1 goes straight to its own handler: no Express layers on its hot path.
    raw: { matches: isGatewayPath, errorShape: openAiError, ...(gw.enabled ? { handle } : {}) },
    admin: adminRoutes({ adminToken: env.adminToken, keys, usage }),
    prune: () => usage.prune(),
  };
}
