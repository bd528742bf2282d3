/**
 * The store's change log: each line holds the values some paths of the state had at one moment
 * (a missing value: the path was deleted). Replaying the lines newer than state.json, in order,
 * rebuilds the state as it was when the last line reached the disk. A writer that creates a
 * record logs the whole record; a value whose parent is not there is skipped (its record was
 * never durable, or is gone), never built from nothing into a half record.
 */

/** A path into the state document: keys from the root. */
export type StatePath = readonly string[];

/** [path, value]: set; [path]: delete. */
export type ChangeOp = [StatePath] | [StatePath, unknown];

export interface ChangeEntry {
  seq: number;
  ops: ChangeOp[];
}

/** Keys that would reach Object's prototype instead of a record's own entry. */
const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** The current values at `paths` (absent ones as deletes). */
export function captureOps(root: unknown, paths: readonly StatePath[]): ChangeOp[] {
  return paths.map((path) => {
    const parent = parentOf(root, path);
    const key = path.at(-1);
    if (parent === undefined || key === undefined || !Object.hasOwn(parent, key)) return [path];
    return [path, parent[key]];
  });
}

/** Applies ops in order; returns how many were skipped (no parent, or an unsafe key). */
export function applyOps(root: unknown, ops: readonly ChangeOp[]): number {
  let skipped = 0;
  for (const op of ops) {
    const path = op[0];
    const parent = parentOf(root, path);
    const key = path.at(-1);
    if (parent === undefined || key === undefined || UNSAFE.has(key)) {
      skipped++;
      continue;
    }
    if (op.length === 1) delete parent[key];
    else parent[key] = op[1];
  }
  return skipped;
}

function parentOf(root: unknown, path: StatePath): Record<string, unknown> | undefined {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    if (!isRecord(node) || UNSAFE.has(key) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return isRecord(node) ? node : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The path to log for a change at `path`: the first part of it that did not exist yet (a new record, logged whole), or the path itself. */
export function recordPath(root: unknown, path: StatePath): StatePath {
  for (let i = 0; i < path.length; i++) {
    const parent = parentOf(root, path.slice(0, i + 1));
    if (parent === undefined || !Object.hasOwn(parent, path[i]!)) return path.slice(0, i + 1);
  }
  return path;
}
