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
