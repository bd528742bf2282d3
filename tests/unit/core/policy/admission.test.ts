import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { admissionPolicy, visitor, type AdmissionDeps, type IssuedKey, type VisitorCaller } from '../../../../server/core/policy/admission.js';
import { KeyLimiter } from '../../../../server/core/policy/key-limiter.js';
import type { ModelAccess, ModelTier } from '../../../../server/core/policy/model-access.js';
import { Quotas } from '../../../../server/core/policy/quotas.js';
import type { Price } from '../../../../server/core/accounting/pricing.js';
import { AppError } from '../../../../server/core/errors/app-error.js';
import { createLogger } from '../../../../server/core/log/logger.js';
import { FakeClock } from '../../../helpers/fake-clock.js';
import { makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';
import { type AppStore, openAppStore } from '../../../../server/app-state.js';

const UPSTREAM = 'https://up.example/v1';
const OR = 'https://openrouter.ai/api/v1';
const PAID: Price = { input: 1e-6, output: 2e-6 };
const FREE: Price = { input: 0, output: 0 };
/** id → tier and price (undefined: unpriced). */
const MODELS: Record<string, { tier: ModelTier; price?: Price }> = {
  'a/paid': { tier: 'anonymous', price: PAID },
  'a/paid-2': { tier: 'anonymous', price: PAID },
  'a/free': { tier: 'anonymous', price: FREE },
  'a/free-2': { tier: 'anonymous', price: FREE },
  'a/unpriced': { tier: 'anonymous' },
  'b/byok-only': { tier: 'byok', price: PAID },
  'b/byok-unpriced': { tier: 'byok' },
  'x/routed': { tier: 'anonymous', price: PAID },
  'x/routed-nokey': { tier: 'anonymous', price: PAID },
  'z/off': { tier: 'unavailable', price: PAID },
};
const WHITELIST = ['a/paid', 'a/paid-2', 'a/free', 'a/free-2', 'a/unpriced', 'b/byok-only', 'x/routed', 'x/routed-nokey'];

let dir: TempDir;
let store: AppStore;
let clock: FakeClock;

beforeEach(async () => {
  dir = await makeTempDir('labcoat-admission-');
  clock = new FakeClock();
  store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 0, clock, logger: createLogger('silent') });
});
afterEach(async () => {
  await store.close();
  await dir.cleanup();
});

function make(over: Partial<AdmissionDeps> = {}) {
  const quotas = new Quotas({
    store,
    clock,
    ipHashKey: randomBytes(32),
    wayOut: ' Bring your own key.',
    limits: { cyclesPerSession: 2, requestsPerSession: 3, requestsPerHourPerIp: 100 },
  });
  const deps: AdmissionDeps = {
    sources: { server: { apiKey: 'sk-server-key-123', baseUrl: UPSTREAM }, byok: { enabled: true, baseUrl: OR } },
    access: (id): ModelAccess => ({ allowed: WHITELIST.includes(id), tier: MODELS[id]?.tier ?? 'unavailable' }),
    priceOf: (id) => MODELS[id]?.price ?? null,
    quotas,
    limiter: new KeyLimiter({ clock }),
    fallbacks: ['a/paid-2', 'a/free-2', 'a/unpriced', 'b/byok-only', 'x/routed'],
    allowedFor: (mode) => (mode === 'byok' ? WHITELIST : WHITELIST.filter((m) => MODELS[m]!.tier === 'anonymous')),
    allowedModels: WHITELIST,
    providers: [
      { name: 'xprov', baseUrl: 'https://x.example/v1', apiKey: 'sk-x-provider', models: { 'x/routed': 'x-own-id' } },
      { name: 'nokey', baseUrl: 'https://nokey.example/v1', apiKey: undefined, models: { 'x/routed-nokey': 'nk' } },
    ],
    spaceId: undefined,
    ...over,
  };
  return { policy: admissionPolicy(deps), quotas };
}

const onSpace = (session = 's1'): VisitorCaller => ({ kind: 'visitor', session, ip: '203.0.113.7', authorization: undefined });
const ownKey = (session = 's1'): VisitorCaller => ({ kind: 'visitor', session, ip: '203.0.113.7', authorization: 'Bearer sk-or-visitor-1' });
const issued = (over: Partial<IssuedKey> = {}): IssuedKey => ({
  id: 'key_a',
  rpm: 60,
  max_concurrent: 2,
  daily_usd: 1,
  monthly_usd: null,
  models: null,
  ...over,
});

const refusal = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('admission: a visitor on the Space\u2019s key (anonymous tier)', () => {
  it('calls the Space\u2019s upstream with the fallbacks the tier allows and that have a price, and counts the quotas', () => {
    const { policy, quotas } = make();
    const admitted = policy.admit(onSpace(), 'a/paid', { requests: 1, cycles: 1 });
    expect(admitted.call).toEqual({
      target: { apiKey: 'sk-server-key-123', baseUrl: UPSTREAM, model: 'a/paid' },
      fallbacks: ['a/paid-2', 'a/free-2', 'x/routed'],
      mode: 'server',
      session: 's1',
      key: null,
    });
    expect(admitted.provider).toBe('up.example');
    expect(quotas.view('s1', '203.0.113.7').session).toMatchObject({ cycles_used: 1, requests_used: 1 });
    admitted.admission.refund();
    expect(quotas.view('s1', '203.0.113.7').session).toMatchObject({ cycles_used: 0, requests_used: 0 });
  });

  it('lets a free model fall back only to free ones, so a free call never touches the cap', () => {
    expect(make().policy.admit(onSpace(), 'a/free').call.fallbacks).toEqual(['a/free-2']);
  });

  it('refuses a model outside the tier (403, naming the way out and the models allowed), and one without a price', () => {
    const { policy, quotas } = make();
    const byokOnly = refusal(() => policy.admit(onSpace(), 'b/byok-only'));
    expect(byokOnly).toMatchObject({ status: 403, code: 'model_not_allowed' });
    expect(byokOnly.message).toContain('Add your own key in Settings');
    expect(byokOnly.details).toEqual({ allowed_models: WHITELIST.filter((m) => MODELS[m]!.tier === 'anonymous') });
    expect(refusal(() => policy.admit(onSpace(), 'z/off'))).toMatchObject({ status: 403, code: 'model_not_allowed' });
    expect(refusal(() => policy.admit(onSpace(), 'a/unpriced'))).toMatchObject({ status: 403, code: 'model_price_unknown' });
    // A refused call counts nothing.
    expect(quotas.view('s1', '203.0.113.7').session.requests_used).toBe(0);
  });

  it('refuses past the session\u2019s quota with 429 and the way out', () => {
    const { policy } = make();
    for (let i = 0; i < 3; i++) policy.admit(onSpace(), 'a/paid');
    const err = refusal(() => policy.admit(onSpace(), 'a/paid'));
    expect(err).toMatchObject({ status: 429, code: 'session_request_limit' });
    expect(err.message).toContain('Bring your own key.');
    expect(refusal(() => policy.admit(onSpace('s2'), 'a/paid', { requests: 1, cycles: 3 }))).toMatchObject({ code: 'session_cycle_limit' });
  });

  it('answers 402 no_api_key in data-only mode, while estimates still answer as the Space would', () => {
    const { policy } = make({ sources: { server: undefined, byok: { enabled: true, baseUrl: OR } } });
    expect(refusal(() => policy.admit(onSpace(), 'a/paid'))).toMatchObject({ status: 402, code: 'no_api_key' });
    expect(policy.preview(onSpace(), 'a/paid')).toEqual({ mode: 'server', fallbacks: ['a/paid-2', 'a/free-2', 'x/routed'] });
    expect(policy.serverCall('a/paid', 's1')).toBeNull();
  });

  it('gives a resumed run its Space-key call with the same fallbacks', () => {
    expect(make().policy.serverCall('a/paid', 's9')).toEqual({
      target: { apiKey: 'sk-server-key-123', baseUrl: UPSTREAM, model: 'a/paid' },
      fallbacks: ['a/paid-2', 'a/free-2', 'x/routed'],
      mode: 'server',
      session: 's9',
      key: null,
    });
  });

  it('reads the caller of an /api request from its session, address and Authorization header', () => {
    const req = { sessionId: 's5', ip: undefined, get: (_name: 'authorization') => 'Bearer sk-or-visitor-1' };
    expect(visitor(req)).toEqual({ kind: 'visitor', session: 's5', ip: 'unknown', authorization: 'Bearer sk-or-visitor-1' });
  });
});

describe('admission: a visitor with their own key (BYOK)', () => {
  it('calls the visitors\u2019 upstream on their key, with the byok tier and unpriced models, counting nothing', () => {
    const { policy, quotas } = make();
    const admitted = policy.admit(ownKey(), 'b/byok-unpriced', { requests: 1, cycles: 5 });
    expect(admitted.call).toEqual({
      target: { apiKey: 'sk-or-visitor-1', baseUrl: OR, model: 'b/byok-unpriced' },
      fallbacks: ['a/paid-2', 'a/free-2', 'a/unpriced', 'b/byok-only', 'x/routed'],
      mode: 'byok',
      session: 's1',
      key: null,
    });
    expect(admitted.provider).toBe('openrouter.ai');
    expect(quotas.view('s1', '203.0.113.7').session).toMatchObject({ cycles_used: 0, requests_used: 0 });
    for (let i = 0; i < 10; i++) policy.admit(ownKey(), 'a/paid'); // no quota on the visitor's own key
    expect(policy.preview(ownKey(), 'b/byok-only').mode).toBe('byok');
  });

  it('refuses a model no tier allows, a malformed key, and a key where visitors\u2019 keys are off', () => {
    const { policy } = make();
    const off = refusal(() => policy.admit(ownKey(), 'z/off'));
    expect(off).toMatchObject({ status: 403, code: 'model_not_allowed' });
    expect(off.message).toContain('your own key');
    expect(refusal(() => policy.admit({ ...ownKey(), authorization: 'Bearer x' }, 'a/paid'))).toMatchObject({ status: 400, code: 'invalid_authorization' });
    const closed = make({ sources: { server: { apiKey: 'sk-server-key-123', baseUrl: UPSTREAM }, byok: { enabled: false, baseUrl: OR } } }).policy;
    expect(refusal(() => closed.admit(ownKey(), 'a/paid'))).toMatchObject({ status: 403, code: 'byok_disabled' });
  });
});

describe('admission: an issued gateway key', () => {
  it('calls the Space\u2019s upstream with the key\u2019s USD limits as data, its own cache scope, and the fallbacks it may use', () => {
    const key = issued({ models: ['a/paid', 'a/paid-2', 'x/routed'] });
    const admitted = make().policy.admit({ kind: 'issued', key }, 'a/paid');
    expect(admitted.call).toEqual({
      target: { baseUrl: UPSTREAM, apiKey: 'sk-server-key-123', model: 'a/paid', cacheScope: 'key_a' },
      // Not itself, not one a provider serves, only what the key lists and what has a price.
      fallbacks: ['a/paid-2'],
      mode: 'issued',
      session: null,
      key: 'key_a',
      limits: key,
    });
    expect(admitted.call.limits).toBe(key); // read at each reservation: a lowered limit applies at once
    expect(admitted.provider).toBe('up.example');
    admitted.release();
  });

  it('lets a free model fall back only to free ones', () => {
    const admitted = make().policy.admit({ kind: 'issued', key: issued() }, 'a/free');
    expect(admitted.call.fallbacks).toEqual(['a/free-2']);
    admitted.release();
  });

  it('routes a provider\u2019s model to it under the provider\u2019s id, priced and booked by the gateway\u2019s', () => {
    const admitted = make().policy.admit({ kind: 'issued', key: issued() }, 'x/routed');
    expect(admitted.call).toMatchObject({
      target: { baseUrl: 'https://x.example/v1', apiKey: 'sk-x-provider', model: 'x-own-id', cacheScope: 'key_a' },
      fallbacks: [],
      priceAs: 'x/routed',
      key: 'key_a',
    });
    expect(admitted.provider).toBe('xprov');
    admitted.release();
  });

  it('answers 404 model_not_found for a model off its list, off the whitelist or without a price; 503 for a missing provider or upstream key', () => {
    const { policy } = make();
    const key = issued({ models: ['a/paid'] });
    for (const model of ['a/paid-2', 'z/off', 'nobody/knows']) {
      expect(refusal(() => policy.admit({ kind: 'issued', key }, model))).toMatchObject({ status: 404, code: 'model_not_found' });
    }
    expect(refusal(() => policy.admit({ kind: 'issued', key: issued() }, 'a/unpriced'))).toMatchObject({ status: 404, code: 'model_not_found' });
    const missing = refusal(() => policy.admit({ kind: 'issued', key: issued() }, 'x/routed-nokey'));
    expect(missing).toMatchObject({ status: 503, code: 'provider_key_missing' });
    expect(missing.headers['x-should-retry']).toBe('false');
    const dataOnly = make({ sources: { server: undefined, byok: { enabled: true, baseUrl: OR } } }).policy;
    expect(refusal(() => dataOnly.admit({ kind: 'issued', key: issued() }, 'a/paid'))).toMatchObject({ status: 503, code: 'no_api_key' });
    // A provider's model still works without the Space's own key.
    dataOnly.admit({ kind: 'issued', key: issued() }, 'x/routed').release();
  });

  it('counts its calls at once and its requests per minute; a refused model counts neither', () => {
    const { policy } = make();
    const key = issued({ max_concurrent: 2, rpm: 3 });
    const a = policy.admit({ kind: 'issued', key }, 'a/paid');
    const b = policy.admit({ kind: 'issued', key }, 'a/paid');
    expect(refusal(() => policy.admit({ kind: 'issued', key }, 'a/paid'))).toMatchObject({ status: 429, code: 'too_many_concurrent_requests' });
    expect(refusal(() => policy.admit({ kind: 'issued', key }, 'z/off'))).toMatchObject({ code: 'model_not_found' });
    a.release();
    a.release(); // twice: once
    policy.admit({ kind: 'issued', key }, 'a/paid').release();
    b.release();
    const limited = refusal(() => policy.admit({ kind: 'issued', key }, 'a/paid'));
    expect(limited).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(limited.headers['Retry-After']).toBe('20');
  });

  it('lists the models it may call', () => {
    const { policy } = make();
    expect(policy.modelsFor(issued())).toEqual(['a/paid', 'a/paid-2', 'a/free', 'a/free-2', 'b/byok-only', 'x/routed', 'x/routed-nokey']);
    expect(policy.modelsFor(issued({ models: ['a/free', 'z/off', 'a/unpriced'] }))).toEqual(['a/free']);
  });
});
