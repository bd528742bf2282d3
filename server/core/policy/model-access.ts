import type { Config } from '../config/schema.js';

/** Who may use a model here: everyone on the server key, only visitors with their own key, or no one. */
export type ModelTier = 'anonymous' | 'byok' | 'unavailable';

export interface ModelAccess {
  /** On this deployment's whitelist (cost_control.allowed_models for DEPLOYMENT_ENV). */
  allowed: boolean;
  tier: ModelTier;
}

/** Decides access per model id from config alone. Pure. */
export function modelAccessPolicy(config: Config, allowedModels: readonly string[]): (id: string) => ModelAccess {
  const allowed = new Set(allowedModels);
  const { anonymous, byok } = config.cost_control.tiers;
  const anon = new Set(anonymous === 'all_allowed' ? allowedModels : anonymous.filter((m) => allowed.has(m)));
  const byokAllows = (id: string): boolean => {
    if (!config.byok.enabled) return false;
    if (byok === 'any') return config.byok.any_model || allowed.has(id);
    if (byok === 'all_allowed') return allowed.has(id);
    return byok.includes(id);
  };
  return (id) => ({
    allowed: allowed.has(id),
    tier: anon.has(id) ? 'anonymous' : byokAllows(id) ? 'byok' : 'unavailable',
  });
}

/** Whether a caller on this key mode may use a model of this tier. */
export function tierAllows(tier: ModelTier, mode: 'server' | 'byok'): boolean {
  return tier === 'anonymous' || (mode === 'byok' && tier === 'byok');
}

/** The configured fallback chain, cut to the models this caller may use (never a way around the tiers). */
export function fallbackChain(fallbacks: readonly string[], access: (id: string) => ModelAccess, mode: 'server' | 'byok'): string[] {
  return fallbacks.filter((id) => tierAllows(access(id).tier, mode));
}
