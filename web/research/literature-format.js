// @ts-check
/**
 * How a run's literature reads: source names, reference statuses, short author lists, which
 * hypotheses cite a record, the searches and notices of each cycle. Pure.
 */

/** @typedef {import('../../shared/research-types.js').Run} Run */
/** @typedef {import('../../shared/research-types.js').RunLiterature} RunLiterature */
/** @typedef {import('../../shared/research-types.js').RunRecord} RunRecord */
/** @typedef {import('../../shared/research-types.js').CheckedReference} CheckedReference */
/** @typedef {import('../../shared/research-types.js').SourceName} SourceName */
/** @typedef {CheckedReference['status']} ReferenceStatus */

/** @type {Record<SourceName, string>} */
export const SOURCE_LABELS = { openalex: 'OpenAlex', europepmc: 'Europe PMC', arxiv: 'arXiv', crossref: 'Crossref' };

/** @param {string} source a source's name as the server sends it; an unknown one as it is */
export const sourceLabel = (source) => SOURCE_LABELS[/** @type {SourceName} */ (source)] ?? source;

/** @type {Record<ReferenceStatus, string>} the words on a reference's badge */
export const STATUS_LABELS = { verified: 'verified', not_found: 'not found', unverifiable: 'unverifiable' };

/** @type {Record<ReferenceStatus, string>} what each status means, for the badge's title */
export const STATUS_HINTS = {
  verified: 'A real record with a matching title was found.',
  not_found: 'Its identifier leads nowhere or to another work: it may not exist as cited.',
  unverifiable: 'Nothing to check it by, or no source could be asked.',
};

/** @type {Record<NonNullable<CheckedReference['via']>, string>} how a reference was checked */
export const VIA_LABELS = { excerpt: 'this run’s records', doi: 'DOI', arxiv: 'arXiv id', pmid: 'PMID', title: 'title search' };

/** @type {ReferenceStatus[]} worst first: what a reader should see before the rest */
export const STATUS_ORDER = ['not_found', 'unverifiable', 'verified'];

/**
 * Authors as a list line has room for: "Ada Lovelace", "Ada Lovelace & Alan Turing", "Ada Lovelace et al.".
 * @param {string[]} authors
 */
export function authorsShort(authors) {
  const names = authors.map((a) => a.trim()).filter(Boolean);
  if (names.length <= 1) return names[0] ?? '';
  if (names.length === 2) return `${names[0]} & ${names[1]}`;
  return `${names[0]} et al.`;
}

/**
 * A link the page may open: http(s) only (a record's URL comes from a source's answer).
 * @param {string | null | undefined} url
 * @returns {string | null}
 */
export function safeUrl(url) {
  return typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
}

/** @param {RunLiterature | null} literature @param {number} n @returns {RunRecord | null} record n (records[n - 1], checked by its number) */
export function recordOf(literature, n) {
  const r = literature?.records[n - 1];
  return r && r.n === n ? r : (literature?.records.find((x) => x.n === n) ?? null);
}

/**
 * "Title (2020)", or the title alone without a year.
 * @param {{ title: string, year: number | null }} r
 */
export const titleYear = (r) => (r.year === null ? r.title : `${r.title} (${r.year})`);

/**
 * Which hypotheses cite each record (as citations or by an evidence quote), as their short
 * labels in the page's order (H1, H2, …).
 * @param {Run} run
 * @param {Map<string, string>} labels hypothesis id → label
 * @returns {Map<number, string[]>} record number → labels
 */
export function citedBy(run, labels) {
  /** @type {Map<number, string[]>} */
  const out = new Map();
  for (const h of run.hypotheses) {
    const label = labels.get(h.id) ?? h.id;
    const ns = new Set([...(h.citations ?? []), ...(h.evidence ?? []).map((e) => e.n)]);
    for (const n of [...ns].sort((a, b) => a - b)) {
      const list = out.get(n) ?? [];
      if (!list.includes(label)) list.push(label);
      out.set(n, list);
    }
  }
  return out;
}

/**
 * The searches of each cycle with their notices, earliest cycle first.
 * @param {RunLiterature} literature
 * @returns {Array<{ cycle: number, queries: RunLiterature['queries'], notices: RunLiterature['notices'], found: number, added: number }>}
 */
export function cyclesOfSearch(literature) {
  const cycles = [...new Set([...literature.queries.map((q) => q.cycle), ...literature.notices.map((n) => n.cycle)])].sort((a, b) => a - b);
  return cycles.map((cycle) => {
    const queries = literature.queries.filter((q) => q.cycle === cycle);
    return {
      cycle,
      queries,
      notices: literature.notices.filter((n) => n.cycle === cycle),
      found: queries.reduce((sum, q) => sum + q.found, 0),
      added: queries.reduce((sum, q) => sum + q.added, 0),
    };
  });
}

/**
 * How many references have each status, worst first, without the empty ones.
 * @param {CheckedReference[]} refs
 * @returns {Array<{ status: ReferenceStatus, count: number }>}
 */
export function statusCounts(refs) {
  return STATUS_ORDER.map((status) => ({ status, count: refs.filter((r) => r.status === status).length })).filter((c) => c.count > 0);
}

/**
 * What a reference's badge says on hover: what the status means, the record it matched, how it was checked.
 * @param {CheckedReference} ref
 */
export function referenceHint(ref) {
  const parts = [STATUS_HINTS[ref.status] ?? ''];
  if (ref.record) parts.push(`Record: ${titleYear(ref.record)}, ${sourceLabel(ref.record.source)}.`);
  if (ref.via) parts.push(`Checked by ${VIA_LABELS[ref.via] ?? ref.via}.`);
  return parts.filter(Boolean).join(' ');
}

/** @param {number} similarity 0..1 @returns {string} "87%" */
export const similarityText = (similarity) => `${Math.round(Math.min(1, Math.max(0, similarity)) * 100)}%`;

/** @param {number} dropped quotes not found in the cited abstract */
export const droppedText = (dropped) => `${dropped} ${dropped === 1 ? 'quote' : 'quotes'} dropped: not in the cited abstract`;

/** @param {number} n literature lookups at most @returns {string} "up to 60 literature lookups" */
export const lookupsText = (n) => `up to ${n.toLocaleString('en-US')} literature ${n === 1 ? 'lookup' : 'lookups'}`;

/** The element id of record n in the Literature section. */
export const recordAnchor = (/** @type {number} */ n) => `lit-record-${n}`;
