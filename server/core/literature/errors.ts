import type { SourceName } from './record.js';

/** Why a source gave nothing: the cycle goes on with the other sources and says which one failed. */
export type LiteratureFailure = 'unavailable' | 'rate_limited' | 'timeout' | 'malformed' | 'too_large' | 'breaker_open';

export class LiteratureError extends Error {
  constructor(
    readonly source: SourceName,
    readonly failure: LiteratureFailure,
    message: string,
    /** Seconds the source asked us to wait (a 429's Retry-After), when it said. */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'LiteratureError';
  }
}
