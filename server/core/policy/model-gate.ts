import type { Request } from 'express';
import type { ModelCall } from '../accounting/metered-llm.js';
import { isFree, type Price } from '../accounting/pricing.js';
import { fallbackChain, tierAllows, type ModelAccess } from './model-access.js';
import type { Admission, Quotas } from './quotas.js';
import type { Ask } from './quota-rules.js';
import { chooseTarget, payerMode, type KeySources } from '../llm/targets.js';
import { AppError } from '../errors/app-error.js';

export interface ModelGateDeps {
  sources: KeySources;
  access(model: string): ModelAccess;
  priceOf(model: string): Price | null;
  quotas: Quotas;
  /** config llm.fallback_models, cut per caller to what their tier allows. */
  fallbacks: readonly string[];
  /** The models a caller on this key mode may use, named in refusals. */
  allowedFor(mode: 'server' | 'byok'): readonly string[];
  spaceId: string | undefined;
}

export interface AdmittedCall {
  call: ModelCall;
  /** What the quotas counted (nothing for visitors' own keys). */
  admission: Admission;
}

const NOTHING_COUNTED: Admission = { refund: () => undefined };

/**
 * The gate in front of every model-calling route: key mode (402 without any key), the tier's
 * whitelist (403), a price to bound the cost by (403), then the quotas, counted in one step (429).
 */
export function modelGate(deps: ModelGateDeps) {
  /** The caller's fallbacks for a model they may use; throws 403 otherwise. */
  function check(model: string, mode: 'server' | 'byok'): string[] {
    if (!tierAllows(deps.access(model).tier, mode)) throw notAllowed(model, mode, deps.access(model).tier === 'byok', deps.allowedFor(mode));
    const priced = (id: string) => mode === 'byok' || deps.priceOf(id) !== null;
    if (!priced(model)) {
      throw new AppError(
        403,
        'model_price_unknown',
        `The model catalog gives no price for ${model} (the provider may no longer offer it), so its cost on the Space's key cannot be bounded. Pick another model from the Models tab, or use your own key.`,
      );
    }
    const chain = fallbackChain(deps.fallbacks, deps.access, mode).filter(priced);
    // A free model falls back only to free ones, so a free call never touches the cap.
    return mode === 'server' && isFree(deps.priceOf(model)) ? chain.filter((id) => isFree(deps.priceOf(id))) : chain;
  }

  return {
    /** Everything before a model call; counts the quotas. */
    admit(req: Request, model: string, ask: Ask): AdmittedCall {
      const { target, mode } = chooseTarget(deps.sources, req.get('authorization'), model, deps.spaceId);
      const call: ModelCall = { target, fallbacks: check(model, mode), mode, session: req.sessionId, key: null };
      if (mode === 'byok') return { call, admission: NOTHING_COUNTED };
      return { call, admission: deps.quotas.admit(req.sessionId, req.ip ?? 'unknown', ask) };
    },
    /** The Space-key target for a model (a run resumed after a restart); null in data-only mode. */
    serverCall(model: string, sessionId: string): ModelCall | null {
      if (!deps.sources.server) return null;
      return { target: { ...deps.sources.server, model }, fallbacks: check(model, 'server'), mode: 'server', session: sessionId, key: null };
    },
    /** The same checks without a key or counting anything (estimates; data-only mode answers as the Space would). */
    preview(req: Request, model: string): { mode: 'server' | 'byok'; fallbacks: string[] } {
      const mode = payerMode(deps.sources, req.get('authorization')).kind === 'byok' ? 'byok' : 'server';
      return { mode, fallbacks: check(model, mode) };
    },
  };
}

export type ModelGate = ReturnType<typeof modelGate>;

function notAllowed(model: string, mode: string, byokWould: boolean, allowed: readonly string[]): AppError {
  const list = allowed.length > 0 ? ` Models you may use: ${allowed.join(', ')}.` : '';
  const hint = mode === 'server' && byokWould ? ' Add your own key in Settings to use it.' : '';
  return new AppError(403, 'model_not_allowed', `${model} is not available here on ${mode === 'byok' ? 'your own key' : "the Space's key"}.${hint}${list}`, {
    details: { allowed_models: [...allowed] },
  });
}
