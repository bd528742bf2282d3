import type { Migration } from './store.js';

/** A part of the state document one module keeps: its empty value and the migrations that brought it in. */
export interface Slice<T extends object> {
  empty(): T;
  migrations?: Migration[];
}

/** What every document has besides its slices. */
export interface DocumentHeader {
  schema_version: number;
  created_at: string;
}

/**
 * The document made of `slices`: its empty state and its migrations in order. Migrations of
 * several slices to the same version run as one step.
 */
export function assembleDocument<S extends DocumentHeader>(version: number, slices: ReadonlyArray<Slice<object>>) {
  const all = slices.flatMap((s) => s.migrations ?? []);
  const newest = Math.max(1, ...all.map((m) => m.to));
  if (newest !== version) throw new Error(`schema version ${version} but the newest migration goes to ${newest}`);
  const versions = [...new Set(all.map((m) => m.to))].sort((a, b) => a - b);
  const migrations: Migration[] = versions.map((to) => ({
    to,
    up: (state) => all.filter((m) => m.to === to).reduce((s, m) => m.up(s), state),
  }));
  const empty = (now: Date): S => Object.assign({ schema_version: version, created_at: now.toISOString() }, ...slices.map((s) => s.empty())) as S;
  return { version, empty, migrations };
}
