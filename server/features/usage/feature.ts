import type { Core } from '../../core/core.js';
import type { Feature } from '../../http/feature.js';
import { usageRoutes } from './routes.js';

/** The caller's quotas, the global spend against the cap, and their own key's credit. */
export function mountUsage(core: Core): Feature {
  const { env, config } = core;
  return {
    api: usageRoutes({
      quotas: core.quotas,
      ledger: core.ledger,
      hasServerKey: env.serverKey !== undefined,
      byokEnabled: config.byok.enabled,
      keyCredit: core.keyCredit,
    }),
  };
}
