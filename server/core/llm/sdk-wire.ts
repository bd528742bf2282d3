/**
 * The OpenAI wire through the official SDK (the only importer of `openai`), for visitors' own
 * endpoints: it connects through pinnedFetch to the address the SSRF rules checked, and it is the
 * most forgiving reader of the many servers visitors bring (Ollama, LM Studio, vLLM, …).
 */
import type { Target } from './wire.js';
import { pinnedFetch } from './pinned-fetch.js';
import { parseRetryAfter } from './retry-policy.js';
import { UpstreamError, badResponseError, cancelledError, fromStreamError, fromUpstreamStatus, unreachableError } from './upstream-error.js';
import type { Wire, WireChunk, WireCompletion } from './wire.js';

/** The SDK loads on the first call: a Space that never calls a visitor's endpoint never pays its memory (about 12 MB). */
type Sdk = typeof import('openai');
let sdkModule: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdkModule ??= import('openai');
  return sdkModule;
}

export class SdkWire implements Wire {
  constructor(private readonly now: () => number) {}

  async complete(target: Target, body: Record<string, unknown>, signal: AbortSignal): Promise<WireCompletion> {
    const sdk = await loadSdk();
    try {
      return (await client(sdk, target).chat.completions.create({ ...body, stream: false } as never, { signal })) as WireCompletion;
    } catch (err) {
      throw this.failure(sdk, err, signal);
    }
  }

  async stream(target: Target, body: Record<string, unknown>, signal: AbortSignal): Promise<AsyncIterable<WireChunk>> {
    const sdk = await loadSdk();
    try {
      const stream = (await client(sdk, target).chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } } as never, {
        signal,
      })) as unknown as AsyncIterable<WireChunk>;
      return this.mapped(sdk, stream, signal);
    } catch (err) {
      throw this.failure(sdk, err, signal);
    }
  }

  close(): void {}

  private async *mapped(sdk: Sdk, stream: AsyncIterable<WireChunk>, signal: AbortSignal): AsyncGenerator<WireChunk> {
    try {
      yield* stream;
    } catch (err) {
      throw this.failure(sdk, err, signal);
    }
  }

  private failure(sdk: Sdk, raw: unknown, signal: AbortSignal): unknown {
    if (signal.aborted) return signal.reason;
    if (raw instanceof UpstreamError) return raw;
    if (raw instanceof sdk.APIUserAbortError) return cancelledError();
    if (raw instanceof sdk.APIError) {
      if (raw.status === undefined && raw.error) return fromStreamError(raw.error as { code?: unknown; message?: unknown });
      if (raw.status === undefined) return raw.cause instanceof UpstreamError ? raw.cause : unreachableError(raw.cause ?? raw); // pinnedFetch's own refusals
      const retryAfter = raw.headers ? parseRetryAfter((n) => raw.headers!.get(n), this.now()) : undefined;
      return fromUpstreamStatus(raw.status, { error: raw.error }, retryAfter);
    }
    if (raw instanceof SyntaxError) return badResponseError('not valid JSON');
    return unreachableError(raw);
  }
}

/** A fresh client per call: a visitor's key is not kept anywhere once the call ends. */
function client(sdk: Sdk, target: Target) {
  return new sdk.default({
    apiKey: target.apiKey,
    baseURL: target.baseUrl,
    maxRetries: 0,
    timeout: 24 * 3600_000,
    logLevel: 'off',
    ...(target.pin ? { fetch: pinnedFetch(target.pin) } : {}),
  });
}
