import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../../server/core/config/load.js';
import { parseModels } from '../../server/core/llm/catalog.js';
import { isFree, perMillion } from '../../server/core/accounting/pricing.js';

const CONFIG = new URL('../../config.yaml', import.meta.url).pathname;
const snapshot = parseModels(JSON.parse(readFileSync(new URL('../../catalog/openrouter-models.json', import.meta.url), 'utf8')));
const byId = new Map(snapshot.map((m) => [m.id, m]));
const { config } = loadConfig(CONFIG);
const text = readFileSync(CONFIG, 'utf8');

/** The price comment after a whitelisted id: "# free" or "# $0.15 / $0.60". */
function commentedPrice(id: string): string[] {
  const lines = text.split('\n').filter((l) => l.trim().startsWith(`- ${id} `) && l.includes('#'));
  return lines.map((l) => l.split('#')[1]!.trim());
}

describe('the shipped whitelist', () => {
  const { production, development } = config.cost_control.allowed_models;

  it.each([...new Set([...production, ...development])])('%s is in the catalog snapshot, with its price in a comment', (id) => {
    const model = byId.get(id);
    expect(model, `${id} is not in catalog/openrouter-models.json`).toBeDefined();
    const price = perMillion(model!.price)!;
    const expected = isFree(model!.price) ? 'free' : `$${price.input.toFixed(2)} / $${price.output.toFixed(2)}`;
    const comments = commentedPrice(id);
    expect(comments.length).toBeGreaterThan(0);
    for (const comment of comments) expect(comment).toBe(expected);
  });

  it('is cheap, and lists free models first for anonymous visitors', () => {
    for (const id of production) expect(perMillion(byId.get(id)!.price)!.output).toBeLessThanOrEqual(1);
    const anon = config.cost_control.tiers.anonymous;
    expect(Array.isArray(anon)).toBe(true);
    const free = (anon as string[]).map((id) => isFree(byId.get(id)?.price ?? null));
    expect(free.indexOf(false)).toBeGreaterThan(0);
    expect(free.slice(free.indexOf(false))).not.toContain(true);
  });
});
