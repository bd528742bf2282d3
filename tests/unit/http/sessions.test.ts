import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import express from 'express';
import { pruneSessions, SESSION_COOKIE, SESSION_HEADER, sessions } from '../../../server/http/sessions.js';
import { issueSessionToken, verifySessionToken } from '../../../server/core/secrets/session-token.js';
import type { SessionsSlice } from '../../../server/core/policy/session-record.js';
import type { StatePath, Store } from '../../../server/core/store/store.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { listen, type Listening, json } from '../../helpers/listen.js';

/** The store seam in memory: what sessions() reads and writes, and which paths it journals. */
function memoryStore(initial: SessionsSlice = { sessions: {} }) {
  const persisted: StatePath[][] = [];
  let updates = 0;
  const store: Store<SessionsSlice> = {
    data: initial,
    update: (fn) => (updates++, fn(initial)),
    persist: async (paths) => void persisted.push([...paths]),
    durable: async () => undefined,
    flush: async () => undefined,
    close: async () => undefined,
    stats: () => ({ writes: 0, journal_writes: 0, pending: false, last_write_at: null, last_error: null }),
  };
  return { store, persisted, updates: () => updates };
}

const KEY = randomBytes(32);
const TIMEOUT = 30 * 60_000;
let running: Listening | undefined;
let clock: FakeClock;
let mem: ReturnType<typeof memoryStore>;

beforeEach(() => {
  clock = new FakeClock();
  mem = memoryStore();
});
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(crossSite = false) {
  const app = express();
  app.use(sessions({ signingKey: KEY, crossSite, timeoutMs: TIMEOUT, store: mem.store, clock }));
  app.get('/whoami', (req, res) => void res.json({ id: req.sessionId }));
  running = await listen(app);
  return running.url;
}

const cookieOf = (res: Response) => res.headers.get('set-cookie');
const tokenIn = (setCookie: string | null) => setCookie?.match(new RegExp(`^${SESSION_COOKIE}=([^;]+);`))?.[1];

describe('sessions', () => {
  it('issues a signed session: HttpOnly cookie, X-Session-ID, a record, journaled', async () => {
    const url = await start();
    const res = await fetch(`${url}/whoami`);
    const { id } = await json(res);
    const setCookie = cookieOf(res)!;
    const token = tokenIn(setCookie)!;
    expect(setCookie).toBe(`${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax`);
    expect(res.headers.get(SESSION_HEADER)).toBe(token);
    expect(verifySessionToken(token, KEY)).toBe(id);
    expect(id).toMatch(/^s_/);
    expect(mem.store.data.sessions[id]).toEqual({ created_at: clock.now(), last_seen_at: clock.now() });
    expect(mem.persisted).toEqual([[['sessions', id]]]);
  });

  it('keeps a valid cookie: same session, no new Set-Cookie, last_seen_at moves, not journaled again', async () => {
    const url = await start();
    const first = await fetch(`${url}/whoami`);
    const { id } = await json(first);
    const token = tokenIn(cookieOf(first))!;
    clock.advance(60_000);
    const again = await fetch(`${url}/whoami`, { headers: { Cookie: `other=1; ${SESSION_COOKIE}=${token}` } });
    expect((await json(again)).id).toBe(id);
    expect(cookieOf(again)).toBeNull();
    expect(again.headers.get(SESSION_HEADER)).toBe(token);
    expect(mem.store.data.sessions[id]!.last_seen_at).toBe(clock.now());
    expect(mem.store.data.sessions[id]!.created_at).toBe(clock.now() - 60_000);
    expect(mem.persisted).toHaveLength(1);
  });

  it('accepts the X-Session-ID header (and sets the cookie for it)', async () => {
    const url = await start();
    const first = await fetch(`${url}/whoami`);
    const { id } = await json(first);
    const token = first.headers.get(SESSION_HEADER)!;
    const viaHeader = await fetch(`${url}/whoami`, { headers: { [SESSION_HEADER]: token } });
    expect((await json(viaHeader)).id).toBe(id);
    expect(tokenIn(cookieOf(viaHeader))).toBe(token);
  });

  it('replaces a forged token with a new session', async () => {
    const url = await start();
    const first = await fetch(`${url}/whoami`);
    const { id } = await json(first);
    const forged = `${id}.${'A'.repeat(32)}`;
    const otherKey = issueSessionToken(randomBytes(32)).token;
    for (const bad of [forged, otherKey, 'garbage', `${id}`]) {
      const res = await fetch(`${url}/whoami`, { headers: { Cookie: `${SESSION_COOKIE}=${bad}`, [SESSION_HEADER]: bad } });
      const got = (await json(res)).id;
      expect(got).not.toBe(id);
      const issued = tokenIn(cookieOf(res))!;
      expect(issued).not.toBe(bad);
      expect(verifySessionToken(issued, KEY)).toBe(got);
    }
  });

  it('replaces a session idle past the timeout, or one the server forgot', async () => {
    const url = await start();
    const first = await fetch(`${url}/whoami`);
    const { id } = await json(first);
    const token = first.headers.get(SESSION_HEADER)!;
    clock.advance(TIMEOUT);
    const idle = await fetch(`${url}/whoami`, { headers: { [SESSION_HEADER]: token } });
    const second = (await json(idle)).id;
    expect(second).not.toBe(id);

    const secondToken = idle.headers.get(SESSION_HEADER)!;
    delete (mem.store.data.sessions as Record<string, unknown>)[second];
    const forgotten = await fetch(`${url}/whoami`, { headers: { [SESSION_HEADER]: secondToken } });
    expect((await json(forgotten)).id).not.toBe(second);
  });

  it('marks cookies for the huggingface.co iframe when cross-site', async () => {
    const url = await start(true);
    const res = await fetch(`${url}/whoami`);
    expect(cookieOf(res)).toMatch(/; Path=\/; HttpOnly; SameSite=None; Secure; Partitioned$/);
  });
});

describe('pruneSessions', () => {
  it('forgets sessions idle at or past the timeout and counts them', () => {
    const now = clock.now();
    mem = memoryStore({
      sessions: {
        fresh: { created_at: 0, last_seen_at: now - TIMEOUT + 1 },
        edge: { created_at: 0, last_seen_at: now - TIMEOUT },
        old: { created_at: 0, last_seen_at: now - 10 * TIMEOUT, cycles_used: 3 },
      },
    });
    expect(pruneSessions(mem.store, now, TIMEOUT)).toBe(2);
    expect(Object.keys(mem.store.data.sessions)).toEqual(['fresh']);
  });

  it('does not touch the store when nothing expired', () => {
    mem = memoryStore({ sessions: { a: { created_at: 0, last_seen_at: clock.now() } } });
    expect(pruneSessions(mem.store, clock.now(), TIMEOUT)).toBe(0);
    expect(mem.updates()).toBe(0);
  });
});
