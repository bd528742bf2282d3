import type { Clock } from '../clock.js';
import { cutUtf8 } from '../llm/structured.js';
import { ownEntry } from '../store/own-entry.js';
import type { Store } from '../store/store.js';
import { LiteratureError, type LiteratureFailure } from './errors.js';
import type { LiteratureRecord, LiteratureSource, SourceName } from './record.js';

/** One source's answer to one query, kept for a while so a second run with the same goal asks no one. */
export interface CachedSearch {
  at: number;
  records: LiteratureRecord[];
}

/** The part of the state document the literature cache keeps, by `${source}:${normalised query}`. */
export interface LiteratureSlice {
  literature_cache: Record<string, CachedSearch>;
}

export interface SourceFailure {
  source: SourceName;
  failure: LiteratureFailure;
  message: string;
}

export interface SearchResult {
  /** De-duplicated across sources (DOI, PMID, arXiv id, then title), in source order, best first. */
  records: LiteratureRecord[];
  /** Sources that gave nothing this time, and why: the caller says so on the page and in exports. */
  failures: SourceFailure[];
  /** How many sources were asked over the network (a cached answer asks none). */
  lookups: number;
}

export interface LibraryOptions {
  sources: LiteratureSource[];
  store: Store<LiteratureSlice>;
  clock: Clock;
  ttlMs: number;
  /** Cached answers kept at most; the oldest go first. */
  maxEntries: number;
  /** Records asked of each source per query. */
  perSource: number;
  /** Abstracts are cut to this many bytes of UTF-8. */
  abstractBytes: number;
}

/** Searches every enabled source in parallel, with a cache in the store; a failing source never fails the search. */
export class Library {
  constructor(private readonly opts: LibraryOptions) {}

  /** The sources a search asks (each at most one request per query). */
  get sources(): SourceName[] {
    return this.opts.sources.map((s) => s.name);
  }

  /** Searches every source, or only those named in `only`. */
  async search(query: string, signal?: AbortSignal, only?: readonly SourceName[]): Promise<SearchResult> {
    const q = normaliseQuery(query);
    const failures: SourceFailure[] = [];
    let lookups = 0;
    const asked = only ? this.opts.sources.filter((s) => only.includes(s.name)) : this.opts.sources;
    const answers = await Promise.all(
      asked.map(async (source) => {
        const cached = this.cached(source.name, q);
        if (cached) return cached;
        lookups++;
        try {
          const records = (await source.search({ query: q, limit: this.opts.perSource, ...(signal ? { signal } : {}) })).map((r) => this.trimmed(r));
          this.remember(source.name, q, records);
          return records;
        } catch (err) {
          if (signal?.aborted) throw err;
          failures.push(failureOf(source.name, err));
          return [];
        }
      }),
    );
    return { records: dedupe(answers.flat()), failures, lookups };
  }

  /** Forgets cached answers past their TTL (called every minute). */
  prune(): void {
    const now = this.opts.clock.now();
    const stale = Object.entries(this.opts.store.data.literature_cache).filter(([, c]) => now - c.at > this.opts.ttlMs);
    if (stale.length === 0) return;
    this.opts.store.update((s) => {
      for (const [key] of stale) delete s.literature_cache[key];
    });
  }

  private cached(source: SourceName, q: string): LiteratureRecord[] | undefined {
    const hit = ownEntry(this.opts.store.data.literature_cache, cacheKey(source, q));
    return hit && this.opts.clock.now() - hit.at <= this.opts.ttlMs ? hit.records : undefined;
  }

  private remember(source: SourceName, q: string, records: LiteratureRecord[]): void {
    this.opts.store.update((s) => {
      s.literature_cache[cacheKey(source, q)] = { at: this.opts.clock.now(), records };
      const keys = Object.keys(s.literature_cache);
      if (keys.length <= this.opts.maxEntries) return;
      const oldest = keys.sort((a, b) => s.literature_cache[a]!.at - s.literature_cache[b]!.at).slice(0, keys.length - this.opts.maxEntries);
      for (const key of oldest) delete s.literature_cache[key];
    });
  }

  private trimmed(record: LiteratureRecord): LiteratureRecord {
    return record.abstract === null ? record : { ...record, abstract: cutUtf8(record.abstract, this.opts.abstractBytes) };
  }
}

const cacheKey = (source: SourceName, q: string) => `${source}:${q}`;

/** One spelling per query: trimmed, whitespace collapsed, lower-case (sources ignore case). */
export function normaliseQuery(query: string): string {
  return query.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** A title as compared across sources: letters and digits only, lower-case. */
export function titleKey(title: string): string {
  return title.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Records that are the same work (a shared DOI, PMID or arXiv id, or the same title) become one: the first, its gaps filled by the others. */
export function dedupe(records: LiteratureRecord[]): LiteratureRecord[] {
  const kept: LiteratureRecord[] = [];
  const byKey = new Map<string, LiteratureRecord>();
  for (const record of records) {
    const keys = keysOf(record);
    const same = keys.map((k) => byKey.get(k)).find((r) => r !== undefined);
    if (!same) {
      kept.push(record);
      for (const k of keys) byKey.set(k, record);
      continue;
    }
    const merged = mergeInto(same, record);
    kept[kept.indexOf(same)] = merged;
    for (const k of [...keysOf(merged), ...keys]) byKey.set(k, merged);
  }
  return kept;
}

function keysOf(r: LiteratureRecord): string[] {
  const keys = [`title:${titleKey(r.title)}`];
  if (r.ids.doi) keys.push(`doi:${r.ids.doi}`);
  if (r.ids.pmid) keys.push(`pmid:${r.ids.pmid}`);
  if (r.ids.arxiv) keys.push(`arxiv:${r.ids.arxiv}`);
  return keys;
}

function mergeInto(first: LiteratureRecord, other: LiteratureRecord): LiteratureRecord {
  return {
    ...first,
    authors: first.authors.length > 0 ? first.authors : other.authors,
    year: first.year ?? other.year,
    venue: first.venue ?? other.venue,
    ids: { ...other.ids, ...first.ids },
    url: first.url ?? other.url,
    abstract: first.abstract ?? other.abstract,
  };
}

function failureOf(source: SourceName, err: unknown): SourceFailure {
  if (err instanceof LiteratureError) return { source, failure: err.failure, message: err.message };
  return { source, failure: 'malformed', message: `${source} gave an answer Labcoat could not read.` };
}
