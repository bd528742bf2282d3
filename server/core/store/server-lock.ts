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
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
  return isZombie(pid) ? null : pid;
}

/**
 * The pid of a server still running on dataDir after waiting up to `timeoutMs` for it to exit,
 * or null: a restart right after a kill must not be refused while the old process is being reaped.
 */
export async function waitForServerGone(dataDir: string, timeoutMs: number, onWait?: (pid: number) => void): Promise<number | null> {
  const until = Date.now() + timeoutMs;
  let pid = runningServer(dataDir);
  if (pid !== null) onWait?.(pid);
  while (pid !== null && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    pid = runningServer(dataDir);
  }
  return pid;
}

/** A killed process its parent has not reaped yet still answers kill(pid, 0) (Linux: state Z in /proc). */
function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false; // no /proc here, or it just went away
  }
}

export function writeLock(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  writeFileSync(path, `${process.pid}\n`);
  return () => rmSync(path, { force: true });
}
