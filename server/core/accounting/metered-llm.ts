import type { CallOptions, CallResult, ChatRequest, LlmClient, Target } from '../llm/llm-client.js';
import { AppError } from '../errors/app-error.js';
import { UpstreamError } from '../llm/upstream-error.js';
import type { Booking, Ledger, Reservation } from './ledger.js';
import { costUsd, maxCostUsd, maxPrice, type Price } from './pricing.js';
import type { KeySpendLimits } from '../policy/key-limit-rules.js';

/** Who pays: the Space's key (the cap applies), an issued key (its limits and the cap), or the visitor. */
export type PayerMode = 'server' | 'issued' | 'byok';

/** A model call as the cost rules see it: where it goes, what may stand in, and who pays. */
export interface ModelCall {
  target: Target;
  fallbacks: string[];
  mode: PayerMode;
  session: string | null;
  /** The issued key's id (gateway), for the per-key ledger. */
  key: string | null;
  /** The issued key's own USD limits, as data: the ledger decides them with the cap in one step. */
  limits?: KeySpendLimits;
  /** The id the catalog prices and the ledger books this call by, when the target's own id differs (a gateway provider's). */
  priceAs?: string;
}

export interface MeteredResult extends CallResult {
  /** What was held against the cap before the call (0 when the cap was not involved). */
  reserved_usd: number;
  /** What the ledger was charged, retries whose outcome was unknown included. */
  charged_usd: number;
  /** Resolves once the charge is on disk: wait for it before reporting the cost (a crash cannot then charge the call again). */
  durable: Promise<void>;
}

/** Fallbacks come from the ModelCall (priced with it); retries are the cost rules' to allow. */
export type MeteredOptions = Omit<CallOptions, 'fallbacks' | 'beforeNextAttempt'> & {
  /** Told each amount the ledger is charged, failed attempts included (a run's own usage). */
  onCharge?: (usd: number) => void;
  /**
   * false: after an attempt the provider may have billed, stop instead of retrying, so the call
   * costs at most one worst case (a research plan's promise). Default true.
   */
  retryUnknown?: boolean;
};

export interface MeteredLlmDeps {
  llm: LlmClient;
  ledger: Ledger;
  priceOf(model: string): Price | null;
  defaultMaxTokens: number;
}

/**
 * Every model call on a key the Space pays for goes through here: reserve the worst case, call,
 * settle to the real cost. Whenever the provider may have billed an attempt we cannot account
 * for (a deadline, a cancel, a cut stream, an unusable answer), that attempt is charged its
 * worst case, and a retry needs a fresh reservation. Visitors' own keys pass straight through.
 */
export class MeteredLlm {
  constructor(private readonly deps: MeteredLlmDeps) {}

  /** The request as it is sent: a server-paid call always carries max_tokens, so its cost is bounded. */
  bounded(call: ModelCall, request: ChatRequest): ChatRequest {
    if (call.mode === 'byok' || request.max_tokens !== undefined) return request;
    return { ...request, max_tokens: this.deps.defaultMaxTokens };
  }

  /** The dearest price of the model and its fallbacks, per direction; null if one is unknown. */
  chainPrice(call: { target: { model: string }; fallbacks: readonly string[]; priceAs?: string | undefined }): Price | null {
    return maxPrice([call.priceAs ?? call.target.model, ...call.fallbacks].map((m) => this.deps.priceOf(m)));
  }

  /** The most one attempt of this call can cost; null if a price is unknown. */
  worstCase(call: ModelCall, request: ChatRequest): number | null {
    const req = this.bounded(call, request);
    return maxCostUsd(this.chainPrice(call), req.messages, req.max_tokens ?? this.deps.defaultMaxTokens);
  }

  async chat(call: ModelCall, request: ChatRequest, opts: MeteredOptions): Promise<MeteredResult> {
    const req = this.bounded(call, request);
    const { onCharge, retryUnknown = true, ...rest } = opts;
    const options: CallOptions = { ...rest, fallbacks: call.fallbacks };
    if (call.mode === 'byok') return { ...(await this.deps.llm.chat(call.target, req, options)), reserved_usd: 0, charged_usd: 0, durable: Promise.resolve() };
    const worst = this.worstCase(call, req);
    // Routes refuse unpriced models before this point; reaching here with one is a bug, not a free call.
    if (worst === null) throw new Error(`no price for ${call.target.model} or a fallback; refusing a server-paid call`);
    const booking: Booking = { model: call.priceAs ?? call.target.model, session: call.session, key: call.key };
    if (worst === 0) return this.free(call, req, options, booking);

    const { ledger } = this.deps;
    let reservation: Reservation = ledger.reserve(worst, booking, call.limits);
    let charged = 0;
    const charge = (usd: number, usage = { tokens_in: 0, tokens_out: 0 }, model = booking.model) => {
      if (!ledger.settle(reservation, { usd, ...usage }, { ...booking, model })) return;
      charged += usd;
      onCharge?.(usd);
    };
    options.beforeNextAttempt = async (failed) => {
      if (failed.billing === 'none') return;
      if (!retryUnknown) throw failed;
      charge(worst);
      reservation = ledger.reserve(worst, booking, call.limits); // no room: the call stops here with a 429
      await this.persist(reservation);
    };
    await this.persist(reservation); // on disk before the request leaves, so a crash cannot forget it
    let result: CallResult;
    try {
      result = await this.deps.llm.chat(call.target, req, options);
    } catch (err) {
      charge(err instanceof UpstreamError && err.billing === 'none' ? 0 : worst);
      throw err;
    }
    charge(this.settledCost(result, worst, call.priceAs), result.usage, call.priceAs ?? result.model);
    return { ...result, reserved_usd: worst, charged_usd: charged, durable: ledger.durable() };
  }

  /** A reservation that cannot reach the disk is released (the call never left) and the caller told to come back later. */
  private async persist(reservation: Reservation): Promise<void> {
    try {
      await this.deps.ledger.persist(reservation);
    } catch (err) {
      this.deps.ledger.release(reservation);
      throw new AppError(
        503,
        'ledger_unavailable',
        'Labcoat could not record this call\u2019s reservation on disk, so it did not send it. Try again in a minute; if it persists, tell the Space owner (the data disk may be full).',
        {
          headers: { 'Retry-After': '60', 'x-should-retry': 'false' },
          cause: err,
        },
      );
    }
  }

  private async free(call: ModelCall, req: ChatRequest, opts: CallOptions, booking: Booking): Promise<MeteredResult> {
    const result = await this.deps.llm.chat(call.target, req, opts);
    this.deps.ledger.record(
      { ...booking, model: call.priceAs ?? result.model },
      { usd: 0, tokens_in: result.usage.tokens_in, tokens_out: result.usage.tokens_out },
    );
    return { ...result, reserved_usd: 0, charged_usd: 0, durable: this.deps.ledger.durable() };
  }

  /**
   * The provider's cost, or tokens × price, when the call finished and reported its usage. A stream
   * cut short is charged its worst case: reasoning tokens never show in the text, and many
   * providers bill the whole generation after a disconnect.
   */
  private settledCost(result: CallResult, worst: number, priceAs: string | undefined): number {
    if (result.cached) return 0;
    if (result.error !== null || result.usage.estimated) return worst;
    if (result.cost_usd !== null) return result.cost_usd;
    // The client could not price a provider's own id; the catalog prices the id it is known by.
    const byCatalog = priceAs ? costUsd(this.deps.priceOf(priceAs), result.usage.tokens_in, result.usage.tokens_out) : null;
    return byCatalog ?? worst;
  }
}
