import { Router } from 'express';
import type { Ledger } from '../../core/accounting/ledger.js';
import type { Quotas } from '../../core/policy/quotas.js';
import type { KeyCredit } from '../../core/llm/key-credit.js';
import { bearerKey } from '../../core/llm/targets.js';
import { route } from '../../http/routes.js';

export interface UsageRouteDeps {
  quotas: Quotas;
  ledger: Ledger;
  hasServerKey: boolean;
  byokEnabled: boolean;
  /** The visitor's own key's credit at the provider, when it says (OpenRouter does). */
  keyCredit(apiKey: string): Promise<KeyCredit | null>;
}

/** GET /api/usage — the caller's quotas, the global spend against the cap, and their own key's credit. */
export function usageRoutes(deps: UsageRouteDeps): Router {
  const router = Router();
  route(router, '/usage', {
    get: async (req, res) => {
      const own = deps.byokEnabled ? bearerKey(req.get('authorization')) : undefined;
      const quota = deps.quotas.view(req.sessionId, req.ip ?? 'unknown');
      res.set('Cache-Control', 'no-store').json({
        key_mode: own ? 'byok' : deps.hasServerKey ? 'server' : 'none',
        session: quota.session,
        ip: quota.ip,
        global: deps.ledger.usage(),
        byok: own ? { credit: await deps.keyCredit(own) } : null,
      });
    },
  });
  return router;
}
