/**
 * `npm run catalog:refresh`: replaces the shipped snapshot (catalog/openrouter-models.json) with
 * OpenRouter's live list. Needs network access; the app itself only reads the file.
 * CATALOG_URL and CATALOG_OUT override the source and the file (tests use a fake upstream).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseModels } from '../server/core/llm/catalog.js';

const URL_ = process.env.CATALOG_URL ?? 'https://openrouter.ai/api/v1/models';
const OUT = process.env.CATALOG_OUT ?? fileURLToPath(new URL('../catalog/openrouter-models.json', import.meta.url));

const res = await fetch(URL_, { signal: AbortSignal.timeout(30_000), headers: { accept: 'application/json' } });
if (!res.ok) throw new Error(`${URL_} answered HTTP ${res.status}`);
const body = (await res.json()) as { data: Array<Record<string, unknown>> };
const usable = parseModels(body); // throws if the list is not in the expected shape
const keep = new Set(usable.filter((m) => m.price !== null).map((m) => m.id));
// Only the fields Labcoat reads, and only models with a price: unknown prices are never guessed.
const data = body.data
  .filter((m) => keep.has(String(m.id)))
  .map(({ id, name, context_length, pricing, architecture, supported_parameters }) => ({
    id,
    name,
    context_length,
    pricing,
    architecture,
    supported_parameters,
  }))
  .sort((a, b) => String(a.id).localeCompare(String(b.id)));
const snapshot = { fetched_at: new Date().toISOString(), source: `OpenRouter ${URL_}`, data };
writeFileSync(OUT, `${JSON.stringify(snapshot, null, 1)}\n`);
console.log(`wrote ${data.length} models (${usable.length - data.length} without a price left out) to ${OUT}`);
