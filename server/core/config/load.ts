import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, parse as parseYaml, isMap, type Document } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';

/** Environment variables that override config keys: LABCOAT__SECTION__KEY=value (value parsed as YAML). */
export const ENV_OVERRIDE_PREFIX = 'LABCOAT__';

export interface ConfigProblem {
  /** Dotted key path, e.g. "cost_control.daily_spending_limit_usd". */
  key: string;
  message: string;
  /** Where the bad value came from: "config.yaml:12" or "env LABCOAT__X__Y". */
  source: string;
}

export class ConfigError extends Error {
  readonly problems: ConfigProblem[];
  constructor(file: string, problems: ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.key || '(top level)'}: ${p.message} [${p.source}]`);
    super(`Invalid configuration (${file}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadedConfig {
  config: Config;
  /** Dotted keys set explicitly by the file or the environment (not defaults). */
  explicitKeys: Set<string>;
  path: string;
}

/** Loads defaults < file < environment, or throws ConfigError naming every bad key. */
export function loadConfig(path: string, env: Record<string, string | undefined> = {}): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new ConfigError(path, [{ key: '', message: `cannot read the config file: ${reason}. Set CONFIG_PATH to an existing file.`, source: path }]);
  }
  return parseConfig(text, path, env);
}

/** Same as loadConfig, from text already read (tests, validate command). */
export function parseConfig(text: string, path: string, env: Record<string, string | undefined> = {}): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      path,
      doc.errors.map((e) => ({ key: '', message: `YAML syntax: ${e.message.split('\n')[0]}`, source: `${path}:${e.linePos?.[0].line ?? '?'}` })),
    );
  }
  const fromFile: unknown = doc.toJS() ?? {};
  if (typeof fromFile !== 'object' || Array.isArray(fromFile)) {
    throw new ConfigError(path, [{ key: '', message: 'the file must hold a mapping of sections', source: path }]);
  }

  const { merged, envSources, problems } = applyEnvOverrides(fromFile as Record<string, unknown>, env);
  if (problems.length > 0) throw new ConfigError(path, problems);

  const result = configSchema.safeParse(merged);
  if (!result.success) {
    throw new ConfigError(path, describeIssues(result.error.issues, doc, lineCounter, path, envSources));
  }
  const semantic = checkSemantics(result.data);
  if (semantic.length > 0) {
    throw new ConfigError(
      path,
      semantic.map((p) => ({ ...p, source: sourceOf(p.key.split('.'), doc, lineCounter, path, envSources) })),
    );
  }
  const explicitKeys = new Set([...leafKeys(fromFile), ...envSources.keys()]);
  return { config: result.data, explicitKeys, path };
}

function applyEnvOverrides(
  base: Record<string, unknown>,
  env: Record<string, string | undefined>,
): { merged: Record<string, unknown>; envSources: Map<string, string>; problems: ConfigProblem[] } {
  const merged = structuredClone(base);
  const envSources = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_OVERRIDE_PREFIX) || raw === undefined) continue;
    const path = name.slice(ENV_OVERRIDE_PREFIX.length).toLowerCase().split('__');
    const [section, key] = path;
    if (path.length !== 2 || !section || !key) {
      problems.push({ key: path.join('.'), message: `expected ${ENV_OVERRIDE_PREFIX}<SECTION>__<KEY>`, source: `env ${name}` });
      continue;
    }
    let value: unknown;
    try {
      value = parseYaml(raw);
    } catch {
      value = raw;
    }
    const target = (merged[section] ??= {});
    if (typeof target !== 'object' || target === null || Array.isArray(target)) {
      problems.push({ key: section, message: 'is not a section', source: `env ${name}` });
      continue;
    }
    (target as Record<string, unknown>)[key] = value;
    envSources.set(`${section}.${key}`, `env ${name}`);
  }
  return { merged, envSources, problems };
}

function describeIssues(issues: z.core.$ZodIssue[], doc: Document, lineCounter: LineCounter, file: string, envSources: Map<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const unknown of issue.keys) {
        const full = [...path, unknown];
        const hint = suggest(unknown, knownKeys(path));
        problems.push({
          key: full.join('.'),
          message: `unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`,
          source: sourceOf(full, doc, lineCounter, file, envSources),
        });
      }
      continue;
    }
    problems.push({ key: path.join('.'), message: issue.message, source: sourceOf(path, doc, lineCounter, file, envSources) });
  }
  return problems;
}

/** Cross-key rules zod cannot express per field. */
function checkSemantics(config: Config): Omit<ConfigProblem, 'source'>[] {
  const problems: Omit<ConfigProblem, 'source'>[] = [];
  const allowed = new Set([...config.cost_control.allowed_models.production, ...config.cost_control.allowed_models.development]);
  for (const tier of ['anonymous', 'byok'] as const) {
    const models = config.cost_control.tiers[tier];
    if (!Array.isArray(models)) continue;
    const missing = models.filter((m) => !allowed.has(m));
    if (missing.length > 0) {
      problems.push({ key: `cost_control.tiers.${tier}`, message: `lists models that are not in allowed_models: ${missing.join(', ')}` });
    }
  }
  return problems;
}

function sourceOf(path: string[], doc: Document, lineCounter: LineCounter, file: string, envSources: Map<string, string>): string {
  for (let i = path.length; i > 0; i--) {
    const fromEnv = envSources.get(path.slice(0, i).join('.'));
    if (fromEnv) return fromEnv;
  }
  // Walk up to the closest node the file has, so a bad list item still points at its line.
  for (let i = path.length; i > 0; i--) {
    const node = doc.getIn(
      path.slice(0, i).map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
      true,
    ) as { range?: [number, number, number] } | undefined;
    const keyNode = findKeyNode(doc, path.slice(0, i));
    const offset = keyNode ?? node?.range?.[0];
    if (offset !== undefined) return `${file}:${lineCounter.linePos(offset).line}`;
  }
  return `${file} (default)`;
}

function findKeyNode(doc: Document, path: string[]): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const part of path) {
    if (!isMap(node)) return offset;
    const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === part);
    if (!pair) return undefined;
    offset = (pair.key as { range?: [number, number, number] }).range?.[0];
    node = pair.value;
  }
  return offset;
}

function knownKeys(path: string[]): string[] {
  let schema: unknown = configSchema;
  for (const part of path) {
    const shape = unwrapShape(schema);
    schema = shape?.[part];
  }
  return Object.keys(unwrapShape(schema) ?? {});
}

function unwrapShape(schema: unknown): Record<string, unknown> | undefined {
  let current = schema as { shape?: Record<string, unknown>; def?: { innerType?: unknown } } | undefined;
  while (current && !current.shape && current.def?.innerType) current = current.def.innerType as typeof current;
  return current?.shape;
}

/** The closest known key by edit distance, when it is close enough to be a typo. */
export function suggest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

function leafKeys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return prefix ? [prefix] : [];
  return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix ? `${prefix}.${k}` : k));
}
