/**
 * The eight curated batch-test suites Labcoat ships, read from server/features/batch/suites/*.json.
 * tsc does not copy JSON into dist/, so the files are found from the project root (the folder
 * holding package.json) whether this runs from server/ (tsx, vitest) or dist/server/ (compiled).
 * Files are read and validated on the first call, then cached.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suiteSchema, type Suite, type SuiteDifficulty, type SuiteDomain } from './suite-schema.js';
import { projectRoot } from '../../core/project-root.js';

export const CURATED_SUITE_IDS = [
  'support-easy',
  'support-medium',
  'code-easy',
  'code-medium',
  'factual-easy',
  'factual-medium',
  'creative-easy',
  'creative-medium',
] as const;
export type CuratedSuiteId = (typeof CURATED_SUITE_IDS)[number];

/** Where the suite files live, relative to the project root. */
export const SUITES_DIR = join('server', 'features', 'batch', 'suites');

export interface SuiteSummary {
  id: string;
  name: string;
  domain: SuiteDomain;
  difficulty: SuiteDifficulty;
  description: string;
  prompt_count: number;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Reads and validates one suite file; the error names the file and what is wrong with it. */
export function loadSuiteFile(path: string, expectedId?: string): Suite {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`batch suite ${path}: cannot read it as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = suiteSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    throw new Error(`batch suite ${path} is invalid: ${issues}${more}`);
  }
  if (expectedId !== undefined && parsed.data.id !== expectedId) {
    throw new Error(`batch suite ${path} is invalid: id: expected "${expectedId}" (the file name), found "${parsed.data.id}"`);
  }
  return parsed.data;
}

let cached: Suite[] | undefined;

/** The curated suites, in a fixed order. The objects are frozen: copy before changing anything. */
export function curatedSuites(): Suite[] {
  if (!cached) {
    const dir = join(projectRoot(import.meta.url), SUITES_DIR);
    const suites = CURATED_SUITE_IDS.map((id) => loadSuiteFile(join(dir, `${id}.json`), id));
    const seen = new Map<string, string>();
    for (const suite of suites) {
      for (const p of suite.prompts) {
        const other = seen.get(p.id);
        if (other) throw new Error(`batch suite ${suite.id}: prompt id "${p.id}" is also used in ${other}`);
        seen.set(p.id, suite.id);
      }
    }
    cached = deepFreeze(suites);
  }
  return cached;
}

export function curatedSuite(id: string): Suite | undefined {
  return curatedSuites().find((s) => s.id === id);
}

/** What GET /api/batch/suites lists. */
export function suiteSummaries(): SuiteSummary[] {
  return curatedSuites().map((s) => ({
    id: s.id,
    name: s.name,
    domain: s.domain,
    difficulty: s.difficulty,
    description: s.description,
    prompt_count: s.prompts.length,
  }));
}
