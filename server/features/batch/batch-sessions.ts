/**
 * Batch sessions: a visitor's endpoint and key, kept for the session's life only. The key is
 * sealed (AES-256-GCM, random IV, auth tag checked) before it reaches the store, never returned,
 * and deleted with the session: on DELETE, at expiry (a timer), and at start-up for expired ones.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { AppError } from '../../core/errors/app-error.js';
import { addressKey } from '../../core/policy/client-address.js';
import type { Pin } from '../../core/llm/pinned-fetch.js';
import type { Target } from '../../core/llm/llm-client.js';
import { seal, unseal } from '../../core/secrets/seal.js';
import type { Store } from '../../core/store/store.js';
import { ownEntry } from '../../core/store/own-entry.js';

/** A batch session as stored: the key only sealed, the client address only hashed. */
export interface BatchSessionRecord {
  id: string;
  session_id: string;
  address_key: string;
  base_url: string;
  pin: Pin;
  model: string;
  label: string | null;
  api_key: string;
  created_at: number;
  expires_at: number;
}

/** What any route may show of a batch session: never the key. */
export interface BatchSessionView {
  id: string;
  base_url: string;
  model: string;
  label: string | null;
  created_at: string;
  expires_at: string;
}

export interface BatchSessionsOptions {
  store: Store<{ batch_sessions: Record<string, BatchSessionRecord> }>;
  clock: Clock;
  storageKey: Buffer;
  addressHashKey: Buffer;
  ttlMs: number;
  maxPerAddress: number;
  /** Called with the ids of sessions just removed (deleted or expired): their runs go with them. */
  onRemoved?: (ids: string[]) => void;
}

export class BatchSessions {
  constructor(private readonly opts: BatchSessionsOptions) {}

  /** Stores a tested endpoint; one address may hold `maxPerAddress` sessions (429 says when one frees up). */
  create(owner: string, ip: string, endpoint: { base_url: string; pin: Pin; model: string; label: string | null; api_key: string }): BatchSessionView {
    this.cleanup();
    const { store, clock } = this.opts;
    const now = clock.now();
    const address_key = addressKey(this.opts.addressHashKey, ip, 'batch:');
    const held = Object.values(store.data.batch_sessions).filter((s) => s.address_key === address_key);
    if (held.length >= this.opts.maxPerAddress) {
      const frees = Math.min(...held.map((s) => s.expires_at));
      const wait = Math.max(1, Math.ceil((frees - now) / 1000));
      const minutes = Math.ceil(wait / 60);
      const which =
        held.length > 1 ? `has ${held.length} active batch sessions, the most it may hold. Delete one` : 'already has an active batch session. Delete it';
      throw new AppError(
        429,
        'batch_session_limit',
        `Your address ${which} on the Batch tab, or wait about ${minutes} minute${minutes > 1 ? 's' : ''} until the next one expires.`,
        {
          headers: { 'Retry-After': String(wait) },
          details: { frees_at: new Date(frees).toISOString() },
        },
      );
    }
    const record: BatchSessionRecord = {
      id: `bs_${randomBytes(12).toString('base64url')}`,
      session_id: owner,
      address_key,
      base_url: endpoint.base_url,
      pin: endpoint.pin,
      model: endpoint.model,
      label: endpoint.label,
      api_key: seal(endpoint.api_key, this.opts.storageKey),
      created_at: now,
      expires_at: now + this.opts.ttlMs,
    };
    store.update((s) => void (s.batch_sessions[record.id] = record));
    void this.persist([record.id]);
    return view(record);
  }

  /** Resolves once every change so far is on disk: routes wait for it before answering. */
  durable(): Promise<void> {
    return this.opts.store.durable();
  }

  /** Journals whole sessions (created, or deleted with their sealed keys). */
  private persist(ids: readonly string[]): Promise<void> {
    return this.opts.store.persist(ids.map((id) => ['batch_sessions', id]));
  }

  /** Deletes a session and its key now (the owner only). */
  delete(id: string, owner: string): void {
    this.owned(id, owner);
    this.opts.store.update((s) => void delete s.batch_sessions[id]);
    void this.persist([id]);
    this.opts.onRemoved?.([id]);
  }

  /** A live session of this owner, as any route may show it. */
  get(id: string, owner: string): BatchSessionView {
    return view(this.owned(id, owner));
  }

  /** The call target of a live session, key unsealed for the call only. */
  target(id: string, owner: string): Target {
    const s = this.owned(id, owner);
    return { baseUrl: s.base_url, apiKey: unseal(s.api_key, this.opts.storageKey), model: s.model, pin: s.pin };
  }

  list(owner: string): BatchSessionView[] {
    this.cleanup();
    return Object.values(this.opts.store.data.batch_sessions)
      .filter((s) => s.session_id === owner)
      .map(view);
  }

  /** Removes expired sessions with their keys; returns how many. */
  cleanup(): number {
    const now = this.opts.clock.now();
    const expired = Object.values(this.opts.store.data.batch_sessions).filter((s) => s.expires_at <= now);
    if (expired.length === 0) return 0;
    this.opts.store.update((st) => {
      for (const s of expired) delete st.batch_sessions[s.id];
    });
    void this.persist(expired.map((s) => s.id));
    this.opts.onRemoved?.(expired.map((s) => s.id));
    return expired.length;
  }

  private owned(id: string, owner: string): BatchSessionRecord {
    const s = ownEntry(this.opts.store.data.batch_sessions, id);
    if (!s || s.expires_at <= this.opts.clock.now())
      throw new AppError(404, 'batch_session_not_found', 'This batch session does not exist or has expired. Connect your endpoint again.');
    if (s.session_id !== owner) throw new AppError(403, 'not_your_batch_session', 'Only the session that connected this endpoint can use it.');
    return s;
  }
}

function view(s: BatchSessionRecord): BatchSessionView {
  return {
    id: s.id,
    base_url: s.base_url,
    model: s.model,
    label: s.label,
    created_at: new Date(s.created_at).toISOString(),
    expires_at: new Date(s.expires_at).toISOString(),
  };
}
