import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { Store } from '../store/store.js';
import { Library, type LiteratureSlice } from './library.js';
import { createPoliteGet } from './polite-get.js';
import type { LiteratureSource, SourceName } from './record.js';
import { arxivSource } from './sources/arxiv.js';
import { crossrefSource } from './sources/crossref.js';
import { europePmcSource } from './sources/europepmc.js';
import { openAlexSource } from './sources/openalex.js';

/** Cached answers are reused for a day: the literature does not move faster than that. */
const CACHE_TTL_MS = 24 * 3600_000;
const CACHE_ENTRIES = 500;
const PER_SOURCE = 8;
const ABSTRACT_BYTES = 1500;

export interface LiteratureDeps {
  config: Config;
  store: Store<LiteratureSlice>;
  clock: Clock;
  version: string;
  /** Tests give their own; everyone else the platform's. */
  fetch?: typeof fetch;
}

/** The sources config.yaml enables, each behind its own polite GET; null with literature off. */
export function buildLibrary(deps: LiteratureDeps): { library: Library; resolver: LiteratureSource | undefined } | null {
  const lit = deps.config.literature;
  if (!lit.enabled) return null;
  const contact = lit.contact_email ?? undefined;
  const userAgent = `Labcoat/${deps.version} (AI research lab${contact ? `; mailto:${contact}` : ''})`;
  const getFor = (source: SourceName, minIntervalMs: number) =>
    createPoliteGet(
      { source, userAgent, minIntervalMs, timeoutMs: lit.timeout_seconds * 1000, retries: 2, maxBytes: lit.max_response_kb * 1024 },
      { clock: deps.clock, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
    );
  const { openalex, europepmc, arxiv, crossref } = lit.sources;
  const mail = contact ? { mailto: contact } : {};
  const searchers: LiteratureSource[] = [];
  if (openalex.enabled) searchers.push(openAlexSource({ get: getFor('openalex', openalex.min_interval_ms), baseUrl: openalex.base_url, ...mail }));
  if (europepmc.enabled)
    searchers.push(
      europePmcSource({ get: getFor('europepmc', europepmc.min_interval_ms), baseUrl: europepmc.base_url, ...(contact ? { email: contact } : {}) }),
    );
  if (arxiv.enabled) searchers.push(arxivSource({ get: getFor('arxiv', arxiv.min_interval_ms), baseUrl: arxiv.base_url }));
  // Crossref resolves DOIs; its search ranks loosely, so it is not asked for excerpts.
  const resolver = crossref.enabled ? crossrefSource({ get: getFor('crossref', crossref.min_interval_ms), baseUrl: crossref.base_url, ...mail }) : undefined;
  const library = new Library({
    sources: searchers,
    store: deps.store,
    clock: deps.clock,
    ttlMs: CACHE_TTL_MS,
    maxEntries: CACHE_ENTRIES,
    perSource: PER_SOURCE,
    abstractBytes: ABSTRACT_BYTES,
  });
  return { library, resolver };
}
