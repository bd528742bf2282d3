import type { Clock } from './clock.js';
import type { Config } from './config/schema.js';
import type { RuntimeEnv } from './config/env.js';
import type { Resolved } from './config/resolve.js';
import type { Logger } from './log/logger.js';
import type { Metrics } from './metrics/metrics.js';
import type { Store } from './store/store.js';
import type { Hub } from './realtime/hub.js';
import type { LlmClient } from './llm/llm-client.js';
import type { KeySources } from './llm/targets.js';
import { keyCreditLookup } from './llm/key-credit.js';
import type { Price } from './accounting/pricing.js';
import { Ledger } from './accounting/ledger.js';
import type { LedgerSlice, ReservationRecord } from './accounting/ledger-state.js';
import { MeteredLlm } from './accounting/metered-llm.js';
import { registerBudgetMetrics } from './accounting/budget-metrics.js';
import { type ModelAccess, modelAccessPolicy } from './policy/model-access.js';
import { Quotas } from './policy/quotas.js';
import type { IpWindow } from './policy/quota-rules.js';
import type { SessionsSlice } from './policy/session-record.js';
import { type AdmissionPolicy, admissionPolicy } from './policy/admission.js';
import { KeyLimiter } from './policy/key-limiter.js';

export interface CostRules {
  /** Whitelist and tier of a model id. */
  access: (id: string) => ModelAccess;
  ledger: Ledger;
  /** Reservations a previous process left unsettled, charged at their worst case at start-up. */
  recovered: ReservationRecord[];
  quotas: Quotas;
  /** The one admission decision: who may call which model, on which key and provider, under which limits. */
  gate: AdmissionPolicy;
  /** The LLM client behind the cost rules: what every model-calling feature uses. */
  metered: MeteredLlm;
  keyCredit: ReturnType<typeof keyCreditLookup>;
}

interface CostRulesDeps {
  config: Config;
  env: RuntimeEnv;
  resolved: Resolved;
  store: Store<LedgerSlice & SessionsSlice & { ip_windows: Record<string, IpWindow> }>;
  clock: Clock;
  logger: Logger;
  hub: Hub;
  metrics: Metrics;
  llm: LlmClient;
  priceOf: (model: string) => Price | null;
  ipHashKey: Buffer;
}

/** Whitelist, tiers, quotas, the daily cap and the ledger: the cost rules every model call goes through. */
export function costRules(deps: CostRulesDeps): CostRules {
  const { config, env, resolved, store, clock, logger, hub, llm, priceOf } = deps;
  const c = config.cost_control;
  const access = modelAccessPolicy(config, resolved.allowedModels);
  const wayOut = wayOutText(config, env);
  const ledger = new Ledger({
    store,
    clock,
    logger,
    capUsd: c.daily_spending_limit_usd,
    alertFraction: c.alert_at_fraction,
    wayOut,
    onChange: throttled(200, () => hub.publish('usage', { type: 'event', kind: 'usage', global: ledger.usage() })),
  });
  const recovered = ledger.recover();
  const quotas = new Quotas({
    store,
    clock,
    ipHashKey: deps.ipHashKey,
    wayOut,
    limits: {
      cyclesPerSession: config.deployment.max_cycles_per_session,
      requestsPerSession: c.per_session_limit_requests,
      requestsPerHourPerIp: c.requests_per_hour_per_ip,
    },
  });
  hub.addTopic({ matches: (t) => t === 'usage', snapshot: () => ledger.usage() });
  registerBudgetMetrics(deps.metrics.registry, () => ledger.usage());
  const sources: KeySources = {
    server: env.serverKey ? { apiKey: env.serverKey, baseUrl: env.llmBaseUrl } : undefined,
    byok: { enabled: config.byok.enabled, baseUrl: env.llmBaseUrl },
  };
  const anonymous = resolved.allowedModels.filter((m) => access(m).tier === 'anonymous');
  const byokModels = resolved.allowedModels.filter((m) => access(m).tier !== 'unavailable');
  const gate = admissionPolicy({
    sources,
    access,
    priceOf,
    quotas,
    limiter: new KeyLimiter({ clock }),
    fallbacks: config.llm.fallback_models,
    allowedFor: (mode) => (mode === 'byok' ? byokModels : anonymous),
    allowedModels: resolved.allowedModels,
    providers: Object.entries(config.gateway.providers).map(([name, p]) => ({
      name,
      baseUrl: p.base_url.replace(/\/+$/, ''),
      apiKey: env.providerKeys[p.key_env],
      models: p.models,
    })),
    spaceId: env.spaceId,
  });
  const metered = new MeteredLlm({ llm, ledger, priceOf, defaultMaxTokens: c.default_max_tokens });
  const keyCredit = keyCreditLookup({ baseUrl: env.llmBaseUrl, timeoutMs: 5000, clock });
  return { access, ledger, recovered, quotas, gate, metered, keyCredit };
}

/** What a refusal for spend or quota tells the visitor to do next, on this deployment. */
function wayOutText(config: Config, env: RuntimeEnv): string {
  const duplicate = env.spaceId ? ` or duplicate the Space (https://huggingface.co/spaces/${env.spaceId}?duplicate=true) with your own key` : '';
  if (config.byok.enabled) return ` To go on now, add your own OpenRouter key in Settings${duplicate}.`;
  return duplicate ? ` To go on now,${duplicate.slice(3)}.` : '';
}

/** Runs `fn` at most once per `ms`: spend changes on every call; the page needs a few updates a second at most. */
function throttled(ms: number, fn: () => void): () => void {
  let pending: NodeJS.Timeout | undefined;
  return () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      fn();
    }, ms);
    pending.unref();
  };
}
