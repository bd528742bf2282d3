import type { Clock } from '../clock.js';
import { CircuitBreaker } from '../llm/circuit-breaker.js';
import { LiteratureError } from './errors.js';
import type { SourceName } from './record.js';

/** A response body a source adapter parses: status, content type, text (cut at the byte cap). */
export interface FetchedText {
  status: number;
  contentType: string;
  text: string;
}

/**
 * How adapters reach their API: a GET with the etiquette applied (User-Agent with the owner's
 * contact, the source's rate limit, a timeout, retries with backoff on 429/5xx/network errors
 * honouring Retry-After, a breaker per source, a byte cap). Throws LiteratureError when it gives up;
 * answers any other status (404 included) for the adapter to read.
 */
export type PoliteGet = (url: string, opts?: { accept?: string; signal?: AbortSignal }) => Promise<FetchedText>;

export interface PoliteFetchOptions {
  source: SourceName;
  /** e.g. 'Labcoat/0.1 (+https://…; mailto:owner@example.org)' */
  userAgent: string;
  /** At least this long between two requests' starts (arXiv asks 3 s). */
  minIntervalMs: number;
  timeoutMs: number;
  /** Attempts after the first, on 429, 5xx and network errors. */
  retries: number;
  maxBytes: number;
}

/** The longest Retry-After we wait out; a longer one ends the lookup (the cycle goes on without the source). */
const MAX_WAIT_MS = 10_000;
const BACKOFF_MS = 500;

/** An answer with the Retry-After it came with (adapters never see a 429: this layer waits or gives up). */
type Answer = FetchedText & { retryAfter: string | null };

export interface PoliteGetDeps {
  clock: Clock;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

/** The etiquette every literature API asks for, applied once for all adapters (see PoliteGet). */
export function createPoliteGet(opts: PoliteFetchOptions, deps: PoliteGetDeps): PoliteGet {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const doFetch = deps.fetch ?? fetch;
  const breaker = new CircuitBreaker({ clock: deps.clock, threshold: 5, cooldownMs: 60_000 });
  let nextStart = 0;
  const fail = (failure: ConstructorParameters<typeof LiteratureError>[1], message: string, retryAfterS?: number) =>
    new LiteratureError(opts.source, failure, message, retryAfterS);

  /** Waits for this request's turn under the source's rate limit (starts at least minIntervalMs apart). */
  async function turn(): Promise<void> {
    const now = deps.clock.now();
    const at = Math.max(now, nextStart);
    nextStart = at + opts.minIntervalMs;
    if (at > now) await sleep(at - now);
  }

  async function attempt(url: string, accept: string, signal: AbortSignal | undefined): Promise<Answer> {
    await turn();
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    const res = await doFetch(url, {
      headers: { 'user-agent': opts.userAgent, accept },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: 'follow',
    });
    const text = await readCapped(res, opts.maxBytes);
    if (text === undefined) throw fail('too_large', `${opts.source} answered more than ${Math.round(opts.maxBytes / 1024)} KB; the answer was dropped.`);
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, retryAfter: res.headers.get('retry-after') };
  }

  return async (url, { accept = 'application/json', signal } = {}) => {
    const admitted = breaker.admit();
    if (!admitted.ok) throw fail('breaker_open', `${opts.source} failed repeatedly; it is skipped for ${Math.ceil(admitted.retryInMs / 1000)} s.`);
    for (let n = 0; ; n++) {
      let outcome: Answer | LiteratureError;
      try {
        outcome = await attempt(url, accept, signal);
      } catch (err) {
        if (err instanceof LiteratureError) {
          breaker.abandon();
          throw err;
        }
        if (signal?.aborted) {
          breaker.abandon();
          throw err;
        }
        const timedOut = (err as Error).name === 'TimeoutError';
        outcome = fail(
          timedOut ? 'timeout' : 'unavailable',
          `${opts.source} ${timedOut ? `did not answer within ${opts.timeoutMs} ms` : 'could not be reached'}.`,
        );
      }
      const retry = decide(outcome, n);
      if (retry === 'done') {
        breaker.success();
        const { retryAfter: _, ...answer } = outcome as Answer;
        return answer;
      }
      if (retry === 'give_up') {
        breaker.failure();
        throw outcome instanceof LiteratureError ? outcome : statusError(outcome);
      }
      await sleep(retry);
    }
  };

  /** 'done' for an answer the adapter reads, a wait before the next attempt, or 'give_up'. */
  function decide(outcome: Answer | LiteratureError, n: number): 'done' | 'give_up' | number {
    const last = n >= opts.retries;
    if (outcome instanceof LiteratureError) return last ? 'give_up' : BACKOFF_MS * 2 ** n;
    if (outcome.status === 429) {
      const wait = retryAfterMs(outcome, deps.clock.now()) ?? BACKOFF_MS * 2 ** n;
      return last || wait > MAX_WAIT_MS ? 'give_up' : wait;
    }
    if (outcome.status >= 500) return last ? 'give_up' : BACKOFF_MS * 2 ** n;
    return 'done';
  }

  function statusError(res: Answer): LiteratureError {
    if (res.status === 429) {
      const wait = retryAfterMs(res, deps.clock.now());
      return fail('rate_limited', `${opts.source} asked us to slow down.`, wait === undefined ? undefined : Math.ceil(wait / 1000));
    }
    return fail('unavailable', `${opts.source} answered ${res.status}.`);
  }
}

/** The wait a Retry-After asks for (seconds or an HTTP date), in ms. */
function retryAfterMs(res: Answer, now: number): number | undefined {
  const value = res.retryAfter;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The body as text, or undefined once it passes maxBytes (the rest is not read). */
async function readCapped(res: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
