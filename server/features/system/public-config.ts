import type { Config } from '../../core/config/schema.js';
import type { RuntimeEnv } from '../../core/config/env.js';
import type { Resolved } from '../../core/config/resolve.js';

/** What any visitor may know about this deployment: modes, limits, whitelist. Never a secret. */
export function publicConfig(config: Config, env: RuntimeEnv, resolved: Resolved, version: string, simulated = false) {
  const { deployment: d, cost_control: c } = config;
  return {
    version,
    mode: resolved.mode,
    deployment_env: env.deploymentEnv,
    key_modes: {
      server_key: env.serverKey !== undefined,
      byok: config.byok.enabled,
      byok_any_model: config.byok.enabled && config.byok.any_model,
      issued_keys: config.gateway.enabled && env.adminToken !== undefined,
    },
    space: env.spaceId
      ? {
          id: env.spaceId,
          url: `https://huggingface.co/spaces/${env.spaceId}`,
          duplicate_url: `https://huggingface.co/spaces/${env.spaceId}?duplicate=true`,
        }
      : null,
    limits: {
      max_cycles_per_session: d.max_cycles_per_session,
      max_hypotheses_per_cycle: d.max_hypotheses_per_cycle,
      session_timeout_minutes: d.session_timeout_minutes,
      per_session_limit_requests: c.per_session_limit_requests,
      requests_per_hour_per_ip: c.requests_per_hour_per_ip,
      daily_spending_limit_usd: c.daily_spending_limit_usd,
      alert_at_fraction: c.alert_at_fraction,
      default_max_tokens: c.default_max_tokens,
    },
    allowed_models: resolved.allowedModels,
    queue: { max_concurrent_jobs: d.max_concurrent_jobs, max_queue_size: d.max_queue_size },
    batch: config.batch,
    /** The /v1 gateway for issued keys, whether the owner's admin API (and Admin view) is open, and what a new key gets by default. */
    gateway: {
      enabled: config.gateway.enabled,
      admin_api: env.adminToken !== undefined,
      key_defaults: {
        rpm: config.gateway.default_key_rpm,
        max_concurrent: config.gateway.default_key_max_concurrent,
        daily_usd: config.gateway.default_key_daily_usd,
      },
    },
    private_endpoints_allowed: env.allowPrivateEndpoints,
    /** `npm run demo`: answers come from a local simulated model, not a real one. */
    simulated,
  };
}
