/**
 * Admission: the one place that decides, for any caller, whether a model may be called, on which
 * key and provider, with which fallbacks and under which limits. Visitors of the page (/api) call
 * on the Space's key (the tier's whitelist, per-session and per-IP quotas, the cap) or on their own
 * key (their tier; nothing counted, nothing capped); issued gateway keys (/v1) call the models their
 * key lists within the whitelist, routed to a configured provider or the Space's upstream, under the
 * key's rpm, calls at once and USD limits (the last decided with the cap in the ledger's reserve step).
 */
import type { ModelCall } from '../accounting/metered-llm.js';
import { isFree, type Price } from '../accounting/pricing.js';
import { NO_CLIENT_RETRY } from '../accounting/refusals.js';
import { AppError } from '../errors/app-error.js';
import { chooseTarget, payerMode, type KeySources } from '../llm/targets.js';
import type { KeyLimits } from './key-limit-rules.js';
import type { KeyLimiter } from './key-limiter.js';
import { fallbackChain, tierAllows, type ModelAccess } from './model-access.js';
import type { Ask } from './quota-rules.js';
import type { Admission, Quotas } from './quotas.js';

/** A visitor of the page: on the Space's key, or on their own when `authorization` carries one. */
export interface VisitorCaller {
  kind: 'visitor';
  session: string;
  ip: string;
  authorization: string | undefined;
}

/** An issued key's record, as far as admission reads it. */
export interface IssuedKey extends KeyLimits {
  /** The models it may call (within the whitelist); null: every one. */
  readonly models: readonly string[] | null;
}

export interface IssuedKeyCaller {
  kind: 'issued';
  key: Readonly<IssuedKey>;
}

export type Caller = VisitorCaller | IssuedKeyCaller;

/** A gateway provider for named models (config gateway.providers). */
export interface GatewayProvider {
  name: string;
  baseUrl: string;
  /** From the environment variable the config names; undefined when it is not set. */
  apiKey: string | undefined;
  /** Gateway model id → the provider's own id. */
  models: Record<string, string>;
}

export interface AdmissionDeps {
  /** The Space's key and the visitors' (their upstream); `server` is undefined in data-only mode. */
  sources: KeySources;
  access(model: string): ModelAccess;
  priceOf(model: string): Price | null;
  quotas: Quotas;
  limiter: KeyLimiter;
  /** config llm.fallback_models, cut per caller to what they may use. */
  fallbacks: readonly string[];
  /** The models a visitor on this key mode may use, named in refusals. */
  allowedFor(mode: 'server' | 'byok'): readonly string[];
  /** This deployment's whitelist: what issued keys may call at most. */
  allowedModels: readonly string[];
  /** Other providers for named models; every other model an issued key calls goes to the Space's upstream. */
  providers: readonly GatewayProvider[];
  spaceId: string | undefined;
}

/** A call let through: what to call, what was counted for it and how to end its hold. */
export interface Admitted {
  call: ModelCall;
  /** What the visitor's quotas counted: refund() gives back what did not happen (nothing is counted on own or issued keys). */
  admission: Admission;
  /** Ends the call's hold on the caller's concurrent slots (issued keys); call it once the answer is done. */
  release(): void;
  /** Who serves it: a configured provider's name, else the upstream's host (X-Labcoat-Provider). */
  provider: string;
}

/** The one request a chat turn or a gateway call counts. */
const ONE_REQUEST: Ask = { requests: 1, cycles: 0 };
const NOTHING_COUNTED: Admission = { refund: () => undefined };
const NOTHING_HELD = () => undefined;

/** The caller an /api request stands for (its signed session, its address, its Authorization header). */
export function visitor(req: { sessionId: string; ip?: string | undefined; get(name: 'authorization'): string | undefined }): VisitorCaller {
  return { kind: 'visitor', session: req.sessionId, ip: req.ip ?? 'unknown', authorization: req.get('authorization') };
}

export function admissionPolicy(deps: AdmissionDeps) {
  const allowed = new Set(deps.allowedModels);
  const routedTo = new Map<string, GatewayProvider>();
  for (const p of deps.providers) for (const m of Object.keys(p.models)) if (!routedTo.has(m)) routedTo.set(m, p);
  const hostOf = (baseUrl: string) => new URL(baseUrl).host;
  // The name a target's base URL answers to: the first provider configured there, else the upstream's host.
  const namedAt = new Map<string, string>();
  for (const p of deps.providers) if (!namedAt.has(p.baseUrl)) namedAt.set(p.baseUrl, p.name);
  const server = deps.sources.server && { ...deps.sources.server, name: namedAt.get(deps.sources.server.baseUrl) ?? hostOf(deps.sources.server.baseUrl) };
  const byokName = hostOf(deps.sources.byok.baseUrl);

  /** A visitor's fallbacks for a model they may use on this key mode; throws 403 otherwise. */
  function visitorFallbacks(model: string, mode: 'server' | 'byok'): string[] {
    const { tier } = deps.access(model);
    if (!tierAllows(tier, mode)) throw notAllowed(model, mode, tier === 'byok', deps.allowedFor(mode));
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

  /** Whether an issued key may call a model: on its list (or any), on the whitelist, priced. */
  function usable(key: Readonly<IssuedKey>, model: string): boolean {
    return allowed.has(model) && (key.models === null || key.models.includes(model)) && deps.priceOf(model) !== null;
  }

  /** An issued key's call: a model it may use (else OpenAI's 404 model_not_found), with fallbacks it may use too. */
  function issuedCall(key: Readonly<IssuedKey>, model: string): { call: ModelCall; provider: string } {
    if (!usable(key, model))
      throw new AppError(
        404,
        'model_not_found',
        `The model \`${model}\` does not exist or you do not have access to it. GET /v1/models lists the models this key may use.`,
      );
    const provider = routedTo.get(model);
    if (provider) {
      if (!provider.apiKey)
        throw new AppError(
          503,
          'provider_key_missing',
          `The provider for \`${model}\` (${provider.name}) has no key set on this Space. Tell the Space owner, or use another model.`,
          { headers: NO_CLIENT_RETRY },
        );
      // Priced and booked by the gateway's id; the provider gets its own. Fallbacks stay on the main upstream's models.
      const target = { baseUrl: provider.baseUrl, apiKey: provider.apiKey, model: provider.models[model]!, cacheScope: key.id };
      const call: ModelCall = { target, fallbacks: [], mode: 'issued', session: null, key: key.id, limits: key, priceAs: model };
      return { call, provider: namedAt.get(provider.baseUrl) ?? provider.name };
    }
    if (!server)
      throw new AppError(503, 'no_api_key', 'This Space has no upstream key right now, so the gateway cannot call models. Tell the Space owner.', {
        headers: NO_CLIENT_RETRY,
      });
    const free = isFree(deps.priceOf(model));
    const fallbacks = deps.fallbacks.filter((m) => m !== model && !routedTo.has(m) && usable(key, m) && (!free || isFree(deps.priceOf(m))));
    const target = { baseUrl: server.baseUrl, apiKey: server.apiKey, model, cacheScope: key.id };
    return { call: { target, fallbacks, mode: 'issued', session: null, key: key.id, limits: key }, provider: server.name };
  }

  /** A visitor's call: on their own key when they sent one, else the Space's (402 in data-only mode). */
  function visitorCall(caller: VisitorCaller, model: string): { call: ModelCall; provider: string } {
    const { target, mode } = chooseTarget(deps.sources, caller.authorization, model, deps.spaceId);
    const call: ModelCall = { target, fallbacks: visitorFallbacks(model, mode), mode, session: caller.session, key: null };
    return { call, provider: mode === 'byok' ? byokName : server!.name };
  }

  /** The decision alone: whether this caller may call `model`, on which key and provider, with which fallbacks and limits. Throws the refusal. */
  function decide(caller: Caller, model: string): { call: ModelCall; provider: string } {
    return caller.kind === 'issued' ? issuedCall(caller.key, model) : visitorCall(caller, model);
  }

  return {
    decide,

    /**
     * Everything before a model call: the decision, then the caller's limits counted in one step
     * (a visitor on the Space's key: `ask` against the quotas; an issued key: one request of its
     * rpm and one of its calls at once). Throws the refusal (402, 403, 404, 429, 503).
     */
    admit(caller: Caller, model: string, ask: Ask = ONE_REQUEST): Admitted {
      const { call, provider } = decide(caller, model);
      if (caller.kind === 'issued') return { call, provider, admission: NOTHING_COUNTED, release: deps.limiter.admit(caller.key) };
      if (call.mode === 'byok') return { call, provider, admission: NOTHING_COUNTED, release: NOTHING_HELD };
      return { call, provider, admission: deps.quotas.admit(caller.session, caller.ip, ask), release: NOTHING_HELD };
    },

    /** A visitor's key mode and fallbacks without a key or counting anything (estimates; data-only mode answers as the Space would). */
    preview(caller: Pick<VisitorCaller, 'authorization'>, model: string): { mode: 'server' | 'byok'; fallbacks: string[] } {
      const mode = payerMode(deps.sources, caller.authorization).kind === 'byok' ? 'byok' : 'server';
      return { mode, fallbacks: visitorFallbacks(model, mode) };
    },

    /** The Space-key call for a visitor's model (a run resumed after a restart); null in data-only mode. */
    serverCall(model: string, session: string): ModelCall | null {
      if (!server) return null;
      return { target: { ...deps.sources.server!, model }, fallbacks: visitorFallbacks(model, 'server'), mode: 'server', session, key: null };
    },

    /** The models an issued key may call (GET /v1/models). */
    modelsFor(key: Readonly<IssuedKey>): string[] {
      return deps.allowedModels.filter((m) => usable(key, m));
    },
  };
}

export type AdmissionPolicy = ReturnType<typeof admissionPolicy>;

function notAllowed(model: string, mode: string, byokWould: boolean, allowed: readonly string[]): AppError {
  const list = allowed.length > 0 ? ` Models you may use: ${allowed.join(', ')}.` : '';
  const hint = mode === 'server' && byokWould ? ' Add your own key in Settings to use it.' : '';
  return new AppError(403, 'model_not_allowed', `${model} is not available here on ${mode === 'byok' ? 'your own key' : "the Space's key"}.${hint}${list}`, {
    details: { allowed_models: [...allowed] },
  });
}
