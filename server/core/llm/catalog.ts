import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Logger } from '../log/logger.js';
import { parsePrice, type Price } from '../accounting/pricing.js';

/** One model as Labcoat knows it, whatever the source. */
export interface CatalogModel {
  id: string;
  name: string;
  provider: string;
  context_length: number | null;
  /** USD per token; null when the provider publishes no price. */
  price: Price | null;
  /** The model accepts `response_format` (JSON mode). */
  json_mode: boolean;
  /** The model thinks first and takes OpenRouter's `reasoning` parameter (listed as `reasoning` or `include_reasoning`). */
  reasoning: boolean;
}

export interface CatalogView {
  source: 'live' | 'snapshot';
  /** When this list was fetched (for the snapshot: when it was taken). */
  fetched_at: string;
  models: CatalogModel[];
}

/** OpenRouter's `GET /models` shape; other OpenAI-compatible lists have fewer fields, all optional here. */
const rawModel = z.looseObject({
  id: z.string().min(1).max(200),
  name: z.string().max(300).optional(),
  context_length: z.number().int().positive().nullable().optional(),
  pricing: z
    .looseObject({ prompt: z.unknown(), completion: z.unknown(), request: z.unknown().optional(), internal_reasoning: z.unknown().optional() })
    .optional(),
  supported_parameters: z.array(z.string()).optional(),
});
const rawList = z.looseObject({ data: z.array(z.unknown()) });

/** Parses a models list, skipping malformed entries rather than rejecting the whole list. */
export function parseModels(body: unknown): CatalogModel[] {
  const list = rawList.parse(body);
  const models: CatalogModel[] = [];
  for (const entry of list.data) {
    const m = rawModel.safeParse(entry);
    if (!m.success) continue;
    const { id, name, context_length, pricing, supported_parameters } = m.data;
    models.push({
      id,
      name: name ?? id,
      provider: id.includes('/') ? id.split('/')[0]! : 'unknown',
      context_length: context_length ?? null,
      price: pricing ? parsePrice(pricing.prompt, pricing.completion, pricing) : null,
      json_mode: supported_parameters?.includes('response_format') ?? false,
      reasoning: supported_parameters?.some((p) => p === 'reasoning' || p === 'include_reasoning') ?? false,
    });
  }
  if (models.length === 0) throw new Error('the list holds no usable model');
  return models.sort((a, b) => a.id.localeCompare(b.id));
}

export interface CatalogDeps {
  clock: Clock;
  logger: Logger;
  /** The shipped snapshot (OpenRouter format with `fetched_at`), used until and unless the live list loads. */
  snapshot: { fetched_at: string; data: unknown[] };
  /** Fetches the upstream's list; undefined means there is nowhere to fetch from. */
  fetchLive?: (signal: AbortSignal) => Promise<unknown>;
  refreshMs: number;
  timeoutMs: number;
}

/** The model list: live when the upstream answers, else the shipped snapshot; refreshed on an interval. */
export class Catalog {
  private view: CatalogView;
  private byId: Map<string, CatalogModel>;
  private lastAttempt = 0;
  private inFlight: Promise<void> | undefined;
  private lastError: string | null = null;

  constructor(private readonly deps: CatalogDeps) {
    this.view = { source: 'snapshot', fetched_at: deps.snapshot.fetched_at, models: parseModels(deps.snapshot) };
    this.byId = new Map(this.view.models.map((m) => [m.id, m]));
  }

  current(): CatalogView & { last_error: string | null } {
    this.refreshIfStale();
    return { ...this.view, last_error: this.lastError };
  }

  get(id: string): CatalogModel | undefined {
    return this.byId.get(id);
  }

  priceOf(id: string): Price | null {
    return this.byId.get(id)?.price ?? null;
  }

  /** Fetches now (one at a time). A failure keeps the last good list and is reported, never thrown. */
  refresh(): Promise<void> {
    if (!this.deps.fetchLive) return Promise.resolve();
    this.inFlight ??= this.load(this.deps.fetchLive).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private refreshIfStale(): void {
    if (this.deps.clock.now() - this.lastAttempt >= this.deps.refreshMs) void this.refresh();
  }

  private async load(fetchLive: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
    this.lastAttempt = this.deps.clock.now();
    try {
      const models = parseModels(await fetchLive(AbortSignal.timeout(this.deps.timeoutMs)));
      this.view = { source: 'live', fetched_at: new Date(this.deps.clock.now()).toISOString(), models };
      this.byId = new Map(models.map((m) => [m.id, m]));
      this.lastError = null;
    } catch (err) {
      this.lastError = err instanceof z.ZodError ? 'the list was not in the expected format' : (err as Error).message || 'unreachable';
      this.deps.logger.warn({ reason: this.lastError, source: this.view.source }, 'could not refresh the model catalog; keeping the current list');
    }
  }
}

/** Largest model list we accept (OpenRouter's is about 1 MB). */
const MAX_LIST_BYTES = 8 * 2 ** 20;

/**
 * GET <baseUrl>/models with no key (OpenRouter's list is public). Plain node:http(s) rather
 * than fetch: fetch's first use costs ~12 MB of memory, which a data-only Space would pay
 * for nothing else.
 */
export function httpModelList(baseUrl: string): (signal: AbortSignal) => Promise<unknown> {
  return (signal) =>
    new Promise((resolve, reject) => {
      const url = new URL(`${baseUrl}/models`);
      const get = url.protocol === 'https:' ? httpsGet : httpGet;
      const req = get(url, { signal, headers: { accept: 'application/json' } }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`HTTP ${res.statusCode} from the models endpoint`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_LIST_BYTES) req.destroy(new Error('the model list is too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            reject(new Error('the models endpoint did not send JSON'));
          }
        });
        res.on('error', reject);
      });
      req.on('error', (err: NodeJS.ErrnoException) => reject(new Error(err.code ?? err.message)));
    });
}
