import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Catalog, parseModels } from '../../../../server/core/llm/catalog.js';
import { fallbackChain, modelAccessPolicy } from '../../../../server/core/policy/model-access.js';
import { parseConfig } from '../../../../server/core/config/load.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { SNAPSHOT } from '../../../helpers/test-server.js';

const logger = pino({ level: 'silent' });
const live = {
  data: [
    {
      id: 'acme/fast',
      name: 'Acme Fast',
      context_length: 8000,
      pricing: { prompt: '0.000001', completion: '0.000002' },
      supported_parameters: ['response_format'],
    },
  ],
};

describe('catalog', () => {
  it('parses OpenRouter entries, keeps unknown prices unknown and skips malformed ones', () => {
    const models = parseModels({ data: [{ id: 'a/b', pricing: { prompt: '0', completion: '0' } }, { id: 'c/d' }, { name: 'no id' }, 42] });
    expect(models).toEqual([
      { id: 'a/b', name: 'a/b', provider: 'a', context_length: null, price: { input: 0, output: 0 }, json_mode: false, reasoning: false },
      { id: 'c/d', name: 'c/d', provider: 'c', context_length: null, price: null, json_mode: false, reasoning: false },
    ]);
    expect(() => parseModels({ data: [] })).toThrow(/no usable model/);
    expect(() => parseModels('<html>')).toThrow();
  });

  it("knows a reasoning model from OpenRouter's supported_parameters (reasoning or include_reasoning)", () => {
    const models = parseModels({
      data: [
        { id: 'a/thinks', supported_parameters: ['reasoning', 'include_reasoning', 'max_tokens'] },
        { id: 'b/shows-thinking', supported_parameters: ['include_reasoning'] },
        { id: 'c/plain', supported_parameters: ['response_format', 'temperature'] },
        { id: 'd/unlisted' },
      ],
    });
    expect(models.map((m) => [m.id, m.reasoning])).toEqual([
      ['a/thinks', true],
      ['b/shows-thinking', true],
      ['c/plain', false],
      ['d/unlisted', false],
    ]);
  });

  it('loads the shipped snapshot: 344 models with prices, 51 free', () => {
    const c = new Catalog({ clock: new FakeClock(), logger, snapshot: SNAPSHOT, refreshMs: 60_000, timeoutMs: 1000 });
    const view = c.current();
    expect(view.source).toBe('snapshot');
    expect(view.models).toHaveLength(344);
    expect(view.models.filter((m) => m.price?.input === 0 && m.price.output === 0)).toHaveLength(51);
    expect(c.priceOf('openai/gpt-4o-mini')).toEqual({ input: 0.00000015, output: 0.0000006 });
  });

  it('switches to the live list once it loads, and keeps the last good list when the upstream fails', async () => {
    const clock = new FakeClock();
    let answer: () => Promise<unknown> = async () => live;
    const c = new Catalog({ clock, logger, snapshot: SNAPSHOT, fetchLive: () => answer(), refreshMs: 60_000, timeoutMs: 1000 });
    await c.refresh();
    expect(c.current()).toMatchObject({ source: 'live', last_error: null, models: [{ id: 'acme/fast', json_mode: true }] });
    answer = async () => ({ data: 'garbage' });
    clock.advance(60_000);
    c.current(); // stale: starts a refresh in the background
    await c.refresh();
    expect(c.current()).toMatchObject({ source: 'live', last_error: 'the list was not in the expected format' });
    expect(c.get('acme/fast')).toBeDefined();
  });

  it('falls back to the snapshot (and says why) when the upstream is down from the start', async () => {
    const c = new Catalog({
      clock: new FakeClock(),
      logger,
      snapshot: SNAPSHOT,
      fetchLive: async () => {
        throw new Error('connect ECONNREFUSED');
      },
      refreshMs: 60_000,
      timeoutMs: 1000,
    });
    await c.refresh();
    expect(c.current()).toMatchObject({ source: 'snapshot', last_error: 'connect ECONNREFUSED' });
  });
});

describe('model access', () => {
  const cfg = (yaml: string) => parseConfig(yaml, 'c.yaml').config;
  const yaml = 'cost_control:\n  allowed_models:\n    production: [a/free, a/paid]\n  tiers:\n    anonymous: [a/free]\n';

  it('anonymous for the tier list, byok for the rest when visitors may bring keys', () => {
    const access = modelAccessPolicy(cfg(yaml), ['a/free', 'a/paid']);
    expect(access('a/free')).toEqual({ allowed: true, tier: 'anonymous' });
    expect(access('a/paid')).toEqual({ allowed: true, tier: 'byok' });
    expect(access('z/other')).toEqual({ allowed: false, tier: 'byok' });
  });

  it('unavailable beyond the whitelist when byok is limited or off', () => {
    expect(modelAccessPolicy(cfg(`${yaml}byok:\n  any_model: false\n`), ['a/free', 'a/paid'])('z/other').tier).toBe('unavailable');
    expect(modelAccessPolicy(cfg(`${yaml}byok:\n  enabled: false\n`), ['a/free', 'a/paid'])('a/paid').tier).toBe('unavailable');
  });

  it('"all_allowed" puts the whole whitelist in the anonymous tier', () => {
    const access = modelAccessPolicy(cfg(yaml.replace('anonymous: [a/free]', 'anonymous: all_allowed')), ['a/free', 'a/paid']);
    expect(access('a/paid').tier).toBe('anonymous');
  });

  it('cuts the fallback chain to what the caller may use', () => {
    const access = modelAccessPolicy(cfg(`${yaml}byok:\n  any_model: false\n`), ['a/free', 'a/paid']);
    expect(fallbackChain(['a/paid', 'z/other', 'a/free'], access, 'server')).toEqual(['a/free']);
    expect(fallbackChain(['a/paid', 'z/other', 'a/free'], access, 'byok')).toEqual(['a/paid', 'a/free']);
  });
});
