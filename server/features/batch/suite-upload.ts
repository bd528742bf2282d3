/**
 * A visitor's own suite, uploaded as JSON or CSV: parsed, bounded and validated row by row, so
 * the error names each bad row and field. A regex check is refused (by the schema) when RE2 cannot
 * run it, e.g. a backreference or a lookaround; checks run on RE2 under a deadline (bounded-regex.ts).
 *
 * CSV columns (header row required, any order): prompt (required), id, category, system,
 * max_tokens, check_type (contains | contains_all | regex | json | judge) and check_value
 * (contains: values separated by "|"; regex: a pattern, or /pattern/flags; json: required keys
 * separated by ","; judge: the rubric). Cells are kept as text: a cell starting with "=" is a
 * prompt like any other here, and is escaped when it is exported (export.ts).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import { AppError } from '../../core/errors/app-error.js';
import { MAX_SUITE_PROMPTS, suitePromptSchema, type Suite, type SuitePrompt } from './suite-schema.js';

/** Largest upload, in UTF-8 bytes of its text. */
export const MAX_UPLOAD_BYTES = 1024 * 1024;
const MAX_REPORTED_ERRORS = 50;
const CSV_COLUMNS = ['id', 'category', 'prompt', 'system', 'max_tokens', 'check_type', 'check_value'] as const;

export const uploadSchema = z.strictObject({
  format: z.enum(['json', 'csv']),
  text: z.string().min(1),
  name: z.string().trim().min(1).max(80).optional(),
});
export type SuiteUpload = z.infer<typeof uploadSchema>;

export interface RowError {
  /** JSON: the prompt's position (1-based); CSV: the line in the file (the header is line 1). */
  row: number;
  field: string;
  message: string;
}

export const CUSTOM_SUITE_ID = 'custom';

/** What the page shows of a checked upload before it runs: name, size, checks by type, categories, the first prompts. */
export function uploadSummary(suite: Suite) {
  const checks: Record<string, number> = {};
  for (const p of suite.prompts) if (p.check) checks[p.check.type] = (checks[p.check.type] ?? 0) + 1;
  return {
    name: suite.name,
    prompt_count: suite.prompts.length,
    checks,
    categories: [...new Set(suite.prompts.map((p) => p.category))],
    preview: suite.prompts.slice(0, 5),
  };
}

export function parseUpload(upload: SuiteUpload): Suite {
  const bytes = Buffer.byteLength(upload.text, 'utf8');
  if (bytes > MAX_UPLOAD_BYTES) {
    throw new AppError(
      413,
      'suite_too_large',
      `The suite is ${(bytes / 1024 / 1024).toFixed(1)} MB; the limit is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB. Split it into smaller suites.`,
    );
  }
  const raw = upload.format === 'json' ? jsonRows(upload.text) : csvRows(upload.text);
  if (raw.rows.length === 0) throw invalid('The suite has no prompts. Add at least one row with a prompt.', []);
  if (raw.rows.length > MAX_SUITE_PROMPTS) throw invalid(`The suite has more than ${MAX_SUITE_PROMPTS} prompts; at most ${MAX_SUITE_PROMPTS} are allowed.`, []);
  const errors: RowError[] = [];
  const prompts: SuitePrompt[] = [];
  const seen = new Set<string>();
  raw.rows.forEach((row, i) => {
    const line = raw.lineOf(i);
    const parsed = suitePromptSchema.safeParse(row);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push({ row: line, field: issue.path.join('.') || '(row)', message: issue.message });
      return;
    }
    const p = parsed.data;
    if (seen.has(p.id)) errors.push({ row: line, field: 'id', message: `duplicate prompt id "${p.id}"` });
    seen.add(p.id);
    prompts.push(p);
  });
  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_REPORTED_ERRORS);
    const first = shown[0]!;
    throw invalid(
      `${errors.length} problem${errors.length > 1 ? 's' : ''} in the suite; the first: row ${first.row}, ${first.field}: ${first.message}. Fix the rows listed in "rows" and upload again.`,
      shown,
      errors.length,
    );
  }
  return {
    id: CUSTOM_SUITE_ID,
    name: upload.name ?? raw.name ?? 'Your suite',
    domain: 'custom',
    difficulty: 'custom',
    description: raw.description ?? '',
    prompts,
  };
}

interface RawRows {
  rows: Record<string, unknown>[];
  lineOf(index: number): number;
  name?: string | undefined;
  description?: string | undefined;
}

const jsonSuiteShape = z.looseObject({ name: z.string().max(80).optional(), description: z.string().max(300).optional(), prompts: z.array(z.unknown()) });

/** A suite object ({name?, description?, prompts}) or a bare array of prompts. */
function jsonRows(text: string): RawRows {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalid(`The file is not valid JSON (${err instanceof Error ? err.message : String(err)}). Check it in a JSON validator, or upload CSV instead.`, []);
  }
  const shape = Array.isArray(value) ? { prompts: value } : jsonSuiteShape.safeParse(value).data;
  if (!shape)
    throw invalid(
      'The JSON must be an array of prompts, or an object with a "prompts" array (and optionally "name" up to 80 characters and "description" up to 300).',
      [],
    );
  if (shape.prompts.length > MAX_SUITE_PROMPTS) throw invalid(`The suite has ${shape.prompts.length} prompts; at most ${MAX_SUITE_PROMPTS} are allowed.`, []);
  const rows = shape.prompts.map((p, i) => withDefaults(p && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : { prompt: p }, i));
  return { rows, lineOf: (i) => i + 1, name: 'name' in shape ? shape.name : undefined, description: 'description' in shape ? shape.description : undefined };
}

function csvRows(text: string): RawRows {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    // `to` stops reading one row past the limit: a file of a million tiny rows is refused without building them.
    records = parseCsv(text, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      trim: false,
      info: true,
      max_record_size: 64 * 1024,
      to: MAX_SUITE_PROMPTS + 1,
    });
  } catch (err) {
    throw invalid(`The CSV could not be read: ${err instanceof Error ? err.message : String(err)}. Quote cells that hold commas, quotes or line breaks.`, []);
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length > 0 || (header.length > 0 && !header.includes('prompt'))) {
    throw invalid(
      `The CSV header must name the columns ${CSV_COLUMNS.join(', ')} (prompt is required)${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}.`,
      [],
    );
  }
  const rows = records.map(({ record }, i) => withDefaults(csvPrompt(record), i));
  return { rows, lineOf: (i) => records[i]!.info.lines };
}

/** One CSV row as a prompt object; the schema then judges it like a JSON one. */
function csvPrompt(r: Record<string, string>): Record<string, unknown> {
  const cell = (k: string) => (r[k] ?? '').trim();
  const out: Record<string, unknown> = { prompt: r.prompt ?? '' };
  if (cell('id')) out.id = cell('id');
  if (cell('category')) out.category = cell('category');
  if (r.system?.trim()) out.system = r.system;
  if (cell('max_tokens')) out.max_tokens = /^\d+$/.test(cell('max_tokens')) ? Number(cell('max_tokens')) : cell('max_tokens');
  const type = cell('check_type');
  if (type) out.check = csvCheck(type, r.check_value ?? '');
  return out;
}

function csvCheck(type: string, value: string): unknown {
  const list = (sep: string) =>
    value
      .split(sep)
      .map((v) => v.trim())
      .filter(Boolean);
  switch (type.toLowerCase()) {
    case 'contains':
      return { type: 'contains', values: list('|') };
    case 'contains_all':
      return { type: 'contains', values: list('|'), all: true };
    case 'regex': {
      const literal = value.trim().match(/^\/(.+)\/([a-z]*)$/s);
      return literal ? { type: 'regex', pattern: literal[1], flags: literal[2] } : { type: 'regex', pattern: value.trim() };
    }
    case 'json':
      return { type: 'json', required_keys: list(',') };
    case 'judge':
      return { type: 'judge', rubric: value.trim() };
    default:
      return { type };
  }
}

/** Ids and categories are optional in uploads. */
function withDefaults(p: Record<string, unknown>, index: number): Record<string, unknown> {
  return { id: `p-${index + 1}`, category: 'general', ...p };
}

function invalid(message: string, rows: RowError[], total = rows.length): AppError {
  return new AppError(422, 'invalid_suite', message, { details: { rows, error_count: total } });
}
