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
export function buildLibrary(deps: LiteratureDeps): { library: Library; bySource: Partial<Record<SourceName, LiteratureSource>> } | null {
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
  const bySource: Partial<Record<SourceName, LiteratureSource>> = {};
  if (openalex.enabled) bySource.openalex = openAlexSource({ get: getFor('openalex', openalex.min_interval_ms), baseUrl: openalex.base_url, ...mail });
  if (europepmc.enabled) {
    const email = contact ? { email: contact } : {};
    bySource.europepmc = europePmcSource({ get: getFor('europepmc', europepmc.min_interval_ms), baseUrl: europepmc.base_url, ...email });
  }
  if (arxiv.enabled) bySource.arxiv = arxivSource({ get: getFor('arxiv', arxiv.min_interval_ms), baseUrl: arxiv.base_url });
  if (crossref.enabled) bySource.crossref = crossrefSource({ get: getFor('crossref', crossref.min_interval_ms), baseUrl: crossref.base_url, ...mail });
  const library = new Library({
    // Crossref resolves DOIs (verify.ts); its search ranks loosely, so it is not asked for excerpts.
    sources: [bySource.openalex, bySource.europepmc, bySource.arxiv].filter((x) => x !== undefined),
    store: deps.store,
    clock: deps.clock,
    ttlMs: CACHE_TTL_MS,
    maxEntries: CACHE_ENTRIES,
    perSource: PER_SOURCE,
    abstractBytes: ABSTRACT_BYTES,
  });
  return { library, bySource };
}
