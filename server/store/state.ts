import type { JobRecord, JobStats } from '../jobs/job-types.js';

/** Everything Labcoat keeps, in one JSON document. Bump CURRENT_SCHEMA_VERSION with a migration. */
export interface AppState {
  schema_version: number;
  created_at: string;
  sessions: Record<string, SessionRecord>;
  jobs: Record<string, JobRecord>;
  job_stats: Record<string, JobStats>;
}

/** A visitor session: the id is public, the signature that proves it is never stored. */
export interface SessionRecord {
  created_at: number;
  last_seen_at: number;
}

export const CURRENT_SCHEMA_VERSION = 1;

export function emptyState(now: Date): AppState {
  return { schema_version: CURRENT_SCHEMA_VERSION, created_at: now.toISOString(), sessions: {}, jobs: {}, job_stats: {} };
}

/** A step from version `to - 1` to `to`. Migrations take and return plain JSON. */
export interface Migration {
  to: number;
  up(state: Record<string, unknown>): Record<string, unknown>;
}

/** Version 1 is the first shipped shape: there is nothing to migrate from yet. */
export const MIGRATIONS: Migration[] = [];
