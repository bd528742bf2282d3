/** What both JSON adapters do with a fetched body: check the status, parse, read the shape leniently. */
import type { z } from 'zod';
import { LiteratureError } from '../errors.js';
import type { FetchedText } from '../polite-get.js';
import type { SourceName } from '../record.js';

/** A status the adapter did not expect (PoliteGet already retried 5xx and 429): the source is unavailable. */
export function unexpectedStatus(source: SourceName, res: FetchedText): LiteratureError {
  if (res.status === 429) return new LiteratureError(source, 'rate_limited', `${source} answered 429`);
  return new LiteratureError(source, 'unavailable', `${source} answered ${res.status}${res.contentType ? ` (${res.contentType})` : ''}`);
}

/** The body as `schema` reads it; a body that is not JSON, or JSON of another shape, is 'malformed'. */
export function readJson<S extends z.ZodType>(source: SourceName, res: FetchedText, schema: S): z.output<S> {
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    const kind = /html/i.test(res.contentType) || /^\s*</.test(res.text) ? 'an HTML page' : 'not JSON';
    throw new LiteratureError(source, 'malformed', `${source} answered ${kind} (${res.contentType || 'no content type'})`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LiteratureError(
      source,
      'malformed',
      `${source} answered JSON of an unexpected shape${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`,
    );
  }
  return parsed.data;
}

/** Each element `item` reads; the others (records of a shape we cannot use) are skipped. */
export function readItems<S extends z.ZodType>(items: unknown[], item: S): z.output<S>[] {
  const out: z.output<S>[] = [];
  for (const raw of items) {
    const parsed = item.safeParse(raw);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** A search's `limit` as an API's page size: at least 1, at most `max`. */
export function pageSize(limit: number, max: number): number {
  return Math.min(max, Math.max(1, Math.floor(Number.isFinite(limit) ? limit : 1)));
}

/** `?params` with the owner's contact as mailto when set (OpenAlex's and Crossref's polite pool); '' when empty. */
export function queryWithMailto(params: URLSearchParams, mailto: string | undefined): string {
  if (mailto) params.set('mailto', mailto);
  const query = params.toString();
  return query ? `?${query}` : '';
}
