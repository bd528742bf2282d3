import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';

/**
 * Identical deterministic (temperature 0, non-streaming) requests within the TTL are answered
 * from memory. The key covers the endpoint, model and every request field; never the API key.
 */
export class ResponseCache<V extends object> {
  private readonly lru: LRUCache<string, V>;

  constructor(opts: { max: number; ttlMs: number; clock: Clock }) {
    this.lru = new LRUCache<string, V>({ max: Math.max(1, opts.max), ttl: opts.ttlMs, perf: { now: () => opts.clock.now() }, ttlAutopurge: false });
  }

  static key(baseUrl: string, model: string, request: unknown): string {
    return createHash('sha256')
      .update(JSON.stringify([baseUrl, model, request]))
      .digest('base64url');
  }

  get(key: string): V | undefined {
    return this.lru.get(key);
  }

  set(key: string, value: V): void {
    this.lru.set(key, value);
  }
}
