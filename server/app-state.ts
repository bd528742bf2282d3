import type { JobRecord, JobStats } from './core/jobs/job-types.js';
import { emptyLedger, type LedgerState } from './core/accounting/ledger-state.js';
import type { IpWindow } from './core/policy/quota-rules.js';
import type { ResearchRun } from './features/research/run-types.js';
import type { BatchSessionRecord } from './features/batch/batch-sessions.js';
import type { BatchRun } from './features/batch/run-types.js';
import type { IssuedKeyRecord } from './features/gateway/issued-keys.js';
import type { GatewayUsage } from './features/gateway/gateway-usage.js';
import type { SessionRecord } from './core/policy/session-record.js';
import { openStore, type Migration, type OpenStoreOptions, type Store } from './core/store/store.js';

/**
 * The state document, assembled at the top from the slices the core and the features keep (the
 * store itself knows none of them). Bump CURRENT_SCHEMA_VERSION with a migration.
 */
export interface AppState {
  schema_version: number;
  created_at: string;
  sessions: Record<string, SessionRecord>;
  jobs: Record<string, JobRecord>;
  job_stats: Record<string, JobStats>;
  /** Server-key spend per day, model and issued key, and the reservations in flight. */
  ledger: LedgerState;
  /** Hourly request windows per client IP, keyed by a keyed hash of the address (never the address). */
  ip_windows: Record<string, IpWindow>;
  /** Research runs by id; each belongs to the session that started it. */
  research_runs: Record<string, ResearchRun>;
  /** Visitors' endpoints for batch tests, keys sealed; deleted at expiry. */
  batch_sessions: Record<string, BatchSessionRecord>;
  /** Batch runs by id, with their results; removed with their batch sessions. */
  batch_runs: Record<string, BatchRun>;
  /** Gateway keys the owner issued, by id (only their SHA-256 hash). */
  issued_keys: Record<string, IssuedKeyRecord>;
  /** Gateway usage per UTC day, key and model: the billing record. */
  gateway_usage: GatewayUsage;
}

export const CURRENT_SCHEMA_VERSION = 6;

export function emptyState(now: Date): AppState {
  return {
    schema_version: CURRENT_SCHEMA_VERSION,
    created_at: now.toISOString(),
    sessions: {},
    jobs: {},
    job_stats: {},
    ledger: emptyLedger(),
    ip_windows: {},
    research_runs: {},
    batch_sessions: {},
    batch_runs: {},
    issued_keys: {},
    gateway_usage: {},
  };
}

export const MIGRATIONS: Migration[] = [
  // v2: cost control (the spending ledger and per-IP hourly windows).
  { to: 2, up: (s) => ({ ...s, ledger: emptyLedger(), ip_windows: {} }) },
  // v3: research runs.
  { to: 3, up: (s) => ({ ...s, research_runs: {} }) },
  // v4: batch sessions.
  { to: 4, up: (s) => ({ ...s, batch_sessions: {} }) },
  // v5: batch runs.
  { to: 5, up: (s) => ({ ...s, batch_runs: {} }) },
  // v6: the gateway's issued keys and usage records.
  { to: 6, up: (s) => ({ ...s, issued_keys: {}, gateway_usage: {} }) },
];

/** The store of this app's document. */
export type AppStore = Store<AppState>;

/** Opens DATA_DIR's state as this app's document (its empty state, version and migrations). */
export function openAppStore(opts: Omit<OpenStoreOptions<AppState>, 'document'> & { document?: OpenStoreOptions<AppState>['document'] }): Promise<AppStore> {
  return openStore<AppState>({ document: { empty: emptyState, version: CURRENT_SCHEMA_VERSION, migrations: MIGRATIONS }, ...opts });
}
