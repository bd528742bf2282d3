import { beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { BatchSessions, type BatchSessionRecord } from '../../../../server/features/batch/batch-sessions.js';
import { SEALED_PREFIX } from '../../../../server/core/secrets/seal.js';
import type { StatePath, Store } from '../../../../server/core/store/store.js';
import type { AppError } from '../../../../server/core/errors/app-error.js';
import { FakeClock } from '../../../helpers/fake-clock.js';

type Slice = { batch_sessions: Record<string, BatchSessionRecord> };

/** The store seam in memory, recording the paths journaled. */
function memoryStore() {
  const data: Slice = { batch_sessions: {} };
  const persisted: StatePath[] = [];
  const store: Store<Slice> = {
    data,
    update: (fn) => fn(data),
    persist: async (paths) => void persisted.push(...paths),
    durable: async () => undefined,
    flush: async () => undefined,
    close: async () => undefined,
    stats: () => ({ writes: 0, journal_writes: 0, pending: false, last_write_at: null, last_error: null }),
  };
  return { store, data, persisted };
}

const TTL = 60 * 60_000;
const KEY = 'sk-visitor-secret-123456';
const endpoint = { base_url: 'https://llm.example/v1', pin: { address: '203.0.113.7', family: 4 as const }, model: 'm/1', label: 'mine', api_key: KEY };

let clock: FakeClock;
let mem: ReturnType<typeof memoryStore>;
let removed: string[][];
let sessions: BatchSessions;
const storageKey = randomBytes(32);

function build(maxPerAddress = 1) {
  removed = [];
  sessions = new BatchSessions({
    store: mem.store,
    clock,
    storageKey,
    addressHashKey: randomBytes(32),
    ttlMs: TTL,
    maxPerAddress,
    onRemoved: (ids) => void removed.push(ids),
  });
}

const thrown = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('did not throw');
};

beforeEach(() => {
  clock = new FakeClock();
  mem = memoryStore();
  build();
});

describe('BatchSessions.create', () => {
  it('returns a view without the key, and stores the key sealed and the address hashed', () => {
    const view = sessions.create('s_owner', '198.51.100.4', endpoint);
    expect(view).toEqual({
      id: expect.stringMatching(/^bs_[\w-]{16}$/),
      base_url: 'https://llm.example/v1',
      model: 'm/1',
      label: 'mine',
      created_at: '2026-01-15T12:00:00.000Z',
      expires_at: '2026-01-15T13:00:00.000Z',
    });
    const record = mem.data.batch_sessions[view.id]!;
    expect(record.api_key.startsWith(SEALED_PREFIX)).toBe(true);
    expect(JSON.stringify(mem.data)).not.toContain(KEY);
    expect(JSON.stringify(mem.data)).not.toContain('198.51.100.4');
    expect(record.session_id).toBe('s_owner');
    expect(record.pin).toEqual(endpoint.pin);
    expect(mem.persisted).toEqual([['batch_sessions', view.id]]);
  });

  it('refuses a second session from the same address with 429, Retry-After and when one frees up', () => {
    sessions.create('s_owner', '198.51.100.4', endpoint);
    clock.advance(20 * 60_000);
    const err = thrown(() => sessions.create('s_other', '198.51.100.4', endpoint));
    expect(err).toMatchObject({ status: 429, code: 'batch_session_limit', headers: { 'Retry-After': String(40 * 60) } });
    expect(err.details).toEqual({ frees_at: '2026-01-15T13:00:00.000Z' });
    expect(err.message).toContain('already has an active batch session. Delete it');
    expect(err.message).toContain('about 40 minutes');
    // Another address is not affected.
    expect(() => sessions.create('s_other', '198.51.100.5', endpoint)).not.toThrow();
  });

  it('counts several sessions per address when allowed, and says how many', () => {
    build(2);
    sessions.create('a', '198.51.100.4', endpoint);
    sessions.create('a', '198.51.100.4', endpoint);
    clock.advance(TTL - 30_000);
    const err = thrown(() => sessions.create('a', '198.51.100.4', endpoint));
    expect(err.message).toContain('has 2 active batch sessions, the most it may hold. Delete one');
    expect(err.message).toContain('about 1 minute until');
    expect(err.headers['Retry-After']).toBe('30');
  });

  it('frees the address once a session expires', () => {
    sessions.create('a', '198.51.100.4', endpoint);
    clock.advance(TTL);
    expect(() => sessions.create('a', '198.51.100.4', endpoint)).not.toThrow();
  });
});

describe('BatchSessions access', () => {
  it('gives the owner the view and the call target with the key unsealed', () => {
    const { id } = sessions.create('s_owner', '198.51.100.4', endpoint);
    expect(sessions.get(id, 's_owner').id).toBe(id);
    expect(sessions.target(id, 's_owner')).toEqual({ baseUrl: 'https://llm.example/v1', apiKey: KEY, model: 'm/1', pin: endpoint.pin });
  });

  it('refuses another session with 403, and an unknown or expired id with 404', () => {
    const { id } = sessions.create('s_owner', '198.51.100.4', endpoint);
    expect(thrown(() => sessions.target(id, 's_intruder'))).toMatchObject({ status: 403, code: 'not_your_batch_session' });
    expect(thrown(() => sessions.get('bs_nope', 's_owner'))).toMatchObject({ status: 404, code: 'batch_session_not_found' });
    expect(thrown(() => sessions.get('constructor', 's_owner'))).toMatchObject({ status: 404 });
    clock.advance(TTL);
    expect(thrown(() => sessions.target(id, 's_owner'))).toMatchObject({ status: 404, code: 'batch_session_not_found' });
  });

  it('lists only the owner’s live sessions', () => {
    build(5);
    const a = sessions.create('s_a', '198.51.100.1', endpoint);
    sessions.create('s_b', '198.51.100.2', endpoint);
    clock.advance(1000);
    const a2 = sessions.create('s_a', '198.51.100.1', endpoint);
    expect(sessions.list('s_a').map((s) => s.id)).toEqual([a.id, a2.id]);
    clock.advance(TTL - 1000);
    expect(sessions.list('s_a').map((s) => s.id)).toEqual([a2.id]);
  });
});

describe('BatchSessions removal', () => {
  it('delete removes the session and its key, journals it and tells the listener', () => {
    const { id } = sessions.create('s_owner', '198.51.100.4', endpoint);
    expect(thrown(() => sessions.delete(id, 's_other'))).toMatchObject({ status: 403 });
    sessions.delete(id, 's_owner');
    expect(mem.data.batch_sessions).toEqual({});
    expect(mem.persisted).toEqual([
      ['batch_sessions', id],
      ['batch_sessions', id],
    ]);
    expect(removed).toEqual([[id]]);
  });

  it('cleanup removes expired sessions only, and reports them', () => {
    build(5);
    const old = sessions.create('s', '198.51.100.4', endpoint);
    clock.advance(TTL / 2);
    const fresh = sessions.create('s', '198.51.100.4', endpoint);
    expect(sessions.cleanup()).toBe(0);
    expect(removed).toEqual([]);
    clock.advance(TTL / 2);
    expect(sessions.cleanup()).toBe(1);
    expect(Object.keys(mem.data.batch_sessions)).toEqual([fresh.id]);
    expect(removed).toEqual([[old.id]]);
    expect(mem.persisted.at(-1)).toEqual(['batch_sessions', old.id]);
  });
});
