/**
 * DATA_DIR/server.pid while a server runs on the data dir. Tools that change state.json
 * directly (npm run keys) refuse while it names a live process: the server keeps the state in
 * memory and would write over their change.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'server.pid';

/** The pid of a live server on this data dir, or null (no file, or its process is gone). */
export function runningServer(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

export function writeLock(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  writeFileSync(path, `${process.pid}\n`);
  return () => rmSync(path, { force: true });
}
