/**
 * Keys the Space owner issues for the gateway. Only a SHA-256 hash and a short prefix are
 * stored; the key is returned once, by create(). Lookup hashes the presented key and finds it in
 * an index by hash, so the time taken does not depend on how much of a guess was right.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { AppError } from '../../core/errors/app-error.js';
import type { Store } from '../../core/store/store.js';
import { ownEntry } from '../../core/store/own-entry.js';
import { hashKey, isKeyShaped, newKey } from './key-format.js';

export interface IssuedKeyRecord {
  id: string;
  name: string;
  hash: string;
  prefix: string;
  /** Models this key may use (each also on the Space's whitelist); null: every whitelisted model. */
  models: string[] | null;
  rpm: number;
  max_concurrent: number;
  daily_usd: number | null;
  monthly_usd: number | null;
  expires_at: number | null;
  enabled: boolean;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface KeySettings {
  name: string;
  models?: string[] | null | undefined;
  rpm?: number | undefined;
  max_concurrent?: number | undefined;
  daily_usd?: number | null | undefined;
  monthly_usd?: number | null | undefined;
  expires_at?: string | null | undefined;
  enabled?: boolean | undefined;
}

/** What the admin API shows of a key: never the hash. */
export type IssuedKeyView = Omit<IssuedKeyRecord, 'hash' | 'expires_at' | 'created_at' | 'revoked_at' | 'last_used_at'> & {
  expires_at: string | null;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  state: 'active' | 'disabled' | 'expired' | 'revoked';
};

export interface IssuedKeysOptions {
  store: Store<{ issued_keys: Record<string, IssuedKeyRecord> }>;
  clock: Clock;
  defaults: { rpm: number; daily_usd: number; max_concurrent: number };
}

export class IssuedKeys {
  private readonly byHash: Map<string, string>;

  constructor(private readonly opts: IssuedKeysOptions) {
    this.byHash = new Map(Object.values(opts.store.data.issued_keys).map((k) => [k.hash, k.id]));
  }

  create(settings: KeySettings): { key: string; view: IssuedKeyView } {
    const { key, hash, prefix } = newKey();
    const now = this.opts.clock.now();
    const d = this.opts.defaults;
    const record: IssuedKeyRecord = {
      id: `key_${randomBytes(9).toString('base64url')}`,
      name: settings.name,
      hash,
      prefix,
      models: settings.models ?? null,
      rpm: settings.rpm ?? d.rpm,
      max_concurrent: settings.max_concurrent ?? d.max_concurrent,
      daily_usd: settings.daily_usd === undefined ? d.daily_usd : settings.daily_usd,
      monthly_usd: settings.monthly_usd ?? null,
      expires_at: settings.expires_at ? Date.parse(settings.expires_at) : null,
      enabled: settings.enabled ?? true,
      created_at: now,
      revoked_at: null,
      last_used_at: null,
    };
    this.opts.store.update((s) => void (s.issued_keys[record.id] = record));
    this.persist(record.id);
    this.byHash.set(hash, record.id);
    return { key, view: this.view(record) };
  }

  list(): IssuedKeyView[] {
    return Object.values(this.opts.store.data.issued_keys)
      .sort((a, b) => b.created_at - a.created_at)
      .map((k) => this.view(k));
  }

  get(id: string): IssuedKeyView {
    return this.view(this.record(id));
  }

  update(id: string, change: Partial<KeySettings>): IssuedKeyView {
    const current = this.record(id);
    if (current.revoked_at !== null) throw new AppError(409, 'key_revoked', 'This key is revoked; issue a new one instead.');
    this.opts.store.update((s) => {
      const k = s.issued_keys[id]!;
      if (change.name !== undefined) k.name = change.name;
      if (change.models !== undefined) k.models = change.models;
      if (change.rpm !== undefined) k.rpm = change.rpm;
      if (change.max_concurrent !== undefined) k.max_concurrent = change.max_concurrent;
      if (change.daily_usd !== undefined) k.daily_usd = change.daily_usd;
      if (change.monthly_usd !== undefined) k.monthly_usd = change.monthly_usd;
      if (change.expires_at !== undefined) k.expires_at = change.expires_at === null ? null : Date.parse(change.expires_at);
      if (change.enabled !== undefined) k.enabled = change.enabled;
    });
    this.persist(id);
    return this.get(id);
  }

  /** Revoked keys stop working at once and for good; the record stays for the usage history. */
  revoke(id: string): IssuedKeyView {
    this.record(id);
    this.opts.store.update((s) => {
      const k = s.issued_keys[id]!;
      k.enabled = false;
      k.revoked_at ??= this.opts.clock.now();
    });
    this.persist(id);
    return this.get(id);
  }

  private persist(id: string): void {
    void this.opts.store.persist([['issued_keys', id]]);
  }

  /** The key behind `Authorization: Bearer lc_…`, or 401 for anything unknown, disabled, revoked or expired. */
  authenticate(authorization: string | undefined): Readonly<IssuedKeyRecord> {
    const presented = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!presented) throw new AppError(401, 'missing_api_key', 'Send your Labcoat key as "Authorization: Bearer lc_…". The Space owner issues keys.');
    const id = isKeyShaped(presented) ? this.byHash.get(hashKey(presented)) : undefined;
    const record = id ? ownEntry(this.opts.store.data.issued_keys, id) : undefined;
    if (!record || this.stateOf(record) !== 'active')
      throw new AppError(401, 'invalid_api_key', 'This key is not valid here: it is unknown, disabled, revoked or expired. Ask the Space owner for a key.');
    return record;
  }

  /** Notes a key's use, at most once a minute (not a state write per request). */
  touch(id: string): void {
    const now = this.opts.clock.now();
    const last = ownEntry(this.opts.store.data.issued_keys, id)?.last_used_at;
    if (last !== null && last !== undefined && now - last < 60_000) return;
    this.opts.store.update((s) => {
      const k = s.issued_keys[id];
      if (k) k.last_used_at = now;
    });
  }

  private stateOf(k: Readonly<IssuedKeyRecord>): IssuedKeyView['state'] {
    if (k.revoked_at !== null) return 'revoked';
    if (k.expires_at !== null && k.expires_at <= this.opts.clock.now()) return 'expired';
    return k.enabled ? 'active' : 'disabled';
  }

  private record(id: string): Readonly<IssuedKeyRecord> {
    const k = ownEntry(this.opts.store.data.issued_keys, id);
    if (!k) throw new AppError(404, 'key_not_found', 'There is no issued key with this id.');
    return k;
  }

  private view(k: Readonly<IssuedKeyRecord>): IssuedKeyView {
    const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
    const { hash: _hash, ...rest } = k;
    return {
      ...rest,
      expires_at: iso(k.expires_at),
      created_at: new Date(k.created_at).toISOString(),
      revoked_at: iso(k.revoked_at),
      last_used_at: iso(k.last_used_at),
      state: this.stateOf(k),
    };
  }
}
