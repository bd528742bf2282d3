import type { Logger } from '../log/logger.js';
import type { CallOptions, CallResult, ChatRequest, LlmClient, Target } from '../llm/llm-client.js';
import { UpstreamError } from '../llm/upstream-error.js';
import type { Booking, Ledger } from './ledger.js';
import { costUsd, isFree, maxCostUsd, maxPromptTokens, roundUsd, type Price } from './pricing.js';

/** Who pays: the Space's key (the cap applies), an issued key (its limits and the cap), or the visitor. */
export type PayerMode = 'server' | 'issued' | 'byok';

/** A model call as the cost rules see it: where it goes, what may stand in, and who pays. */
export interface ModelCall {
  target: Target;
  fallbacks: string[];
  mode: PayerMode;
  session: string | null;
  key: string | null;
}

export interface MeteredResult extends CallResult {
  /** What was held against the cap before the call (0 when the cap was not involved). */
  reserved_usd: number;
  /** What the ledger was charged. */
  charged_usd: number;
}

export interface MeteredLlmDeps {
  llm: LlmClient;
  ledger: Ledger;
  priceOf(model: string): Price | null;
  defaultMaxTokens: number;
  logger: Logger;
}

/** Errors after which we cannot know what the provider billed: the call is charged its worst case. */
const UNKNOWN_OUTCOME = new Set(['cancelled', 'upstream_timeout']);

/**
 * Every model call on a key the Space pays for goes through here: reserve the worst case,
 * call, settle to the real cost. Visitors' own keys pass straight through (they pay).
 */
export class MeteredLlm {
  constructor(private readonly deps: MeteredLlmDeps) {}

  /** The request as it is sent: a server-paid call always carries max_tokens, so its cost is bounded. */
  bounded(call: ModelCall, request: ChatRequest): ChatRequest {
    if (call.mode === 'byok' || request.max_tokens !== undefined) return request;
    return { ...request, max_tokens: this.deps.defaultMaxTokens };
  }

  /** The most this call can cost, over its fallbacks too; null if a price is unknown. */
  worstCase(call: ModelCall, request: ChatRequest): number | null {
    const req = this.bounded(call, request);
    let worst = 0;
    for (const model of [call.target.model, ...call.fallbacks]) {
      const usd = maxCostUsd(this.deps.priceOf(model), req.messages, req.max_tokens ?? this.deps.defaultMaxTokens);
      if (usd === null) return null;
      worst = Math.max(worst, usd);
    }
    return worst;
  }

  async chat(call: ModelCall, request: ChatRequest, opts: CallOptions): Promise<MeteredResult> {
    const req = this.bounded(call, request);
    if (call.mode === 'byok') {
      const result = await this.deps.llm.chat(call.target, req, opts);
      return { ...result, reserved_usd: 0, charged_usd: 0 };
    }
    const worst = this.worstCase(call, req);
    // Routes refuse unpriced models before this point; reaching here with one is a bug, not a free call.
    if (worst === null) throw new Error(`no price for ${call.target.model} or a fallback; refusing a server-paid call`);
    const booking: Booking = { model: call.target.model, session: call.session, key: call.key };
    if (worst === 0) return this.free(call, req, opts, booking);

    const reservation = this.deps.ledger.reserve(worst, booking);
    let result: CallResult;
    try {
      result = await this.deps.llm.chat(call.target, req, opts);
    } catch (err) {
      const usd = err instanceof UpstreamError && UNKNOWN_OUTCOME.has(err.code) ? worst : 0;
      this.deps.ledger.settle(reservation, { usd, tokens_in: 0, tokens_out: 0 }, booking);
      throw err;
    }
    const usd = this.settledCost(result, req, worst);
    this.deps.ledger.settle(reservation, { usd, tokens_in: result.usage.tokens_in, tokens_out: result.usage.tokens_out }, { ...booking, model: result.model });
    return { ...result, reserved_usd: worst, charged_usd: usd };
  }

  private async free(call: ModelCall, req: ChatRequest, opts: CallOptions, booking: Booking): Promise<MeteredResult> {
    const result = await this.deps.llm.chat(call.target, req, opts);
    this.deps.ledger.record({ ...booking, model: result.model }, { usd: 0, tokens_in: result.usage.tokens_in, tokens_out: result.usage.tokens_out });
    return { ...result, reserved_usd: 0, charged_usd: 0 };
  }

  /**
   * The real cost when it is known; for a stream cut short, an upper bound on what arrived
   * (each received byte counted as a token), never more than the reservation.
   */
  private settledCost(result: CallResult, req: ChatRequest, worst: number): number {
    if (result.cached) return 0;
    if (!result.usage.estimated && result.cost_usd !== null) {
      if (result.cost_usd > worst) this.deps.logger.warn({ model: result.model, cost_usd: result.cost_usd, reserved_usd: worst }, 'a call cost more than its reservation (price changed upstream?)');
      return result.cost_usd;
    }
    const price = this.deps.priceOf(result.model) ?? this.deps.priceOf(result.requested_model);
    const outBound = Math.min(req.max_tokens ?? Infinity, Buffer.byteLength(result.content, 'utf8'));
    if (isFree(price)) return 0;
    const bound = costUsd(price, maxPromptTokens(req.messages), outBound);
    return roundUsd(Math.min(worst, bound ?? worst));
  }
}
