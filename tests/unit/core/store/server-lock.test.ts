import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, runningServer, waitForServerGone } from '../../../../server/core/store/server-lock.js';
import { makeTempDir, type TempDir } from '../../../helpers/temp-dir.js';

let dir: TempDir;
const children: Array<ReturnType<typeof spawn>> = [];
beforeEach(async () => void (dir = await makeTempDir('labcoat-lock-')));
afterEach(async () => {
  children.splice(0).forEach((c) => c.kill('SIGKILL'));
  await dir.cleanup();
});

/** Runs a shell script and returns the first line it prints. */
function firstLine(script: string): Promise<string> {
  const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  return new Promise((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
}

describe('the server lock after a kill', () => {
  it('does not count a killed server its parent has not reaped yet (a zombie) as running', async () => {
    // The `sleep 0` child exits at once; its parent becomes the exec'd sleep, which never reaps it.
    const zombie = Number(await firstLine('sleep 0 & echo $!; exec sleep 5'));
    await new Promise((r) => setTimeout(r, 200));
    expect(() => process.kill(zombie, 0)).not.toThrow(); // it still "exists"
    await writeFile(join(dir.path, LOCK_FILE), `${zombie}\n`);
    expect(runningServer(dir.path)).toBeNull();
  });

  it('waits for a server that is still exiting, and names one that does not exit', async () => {
    const exiting = Number(await firstLine('echo $$; exec sleep 0.3'));
    await writeFile(join(dir.path, LOCK_FILE), `${exiting}\n`);
    expect(runningServer(dir.path)).toBe(exiting);
    const waited: number[] = [];
    expect(await waitForServerGone(dir.path, 5000, (pid) => waited.push(pid))).toBeNull();
    expect(waited).toEqual([exiting]);

    const staying = Number(await firstLine('echo $$; exec sleep 5'));
    await writeFile(join(dir.path, LOCK_FILE), `${staying}\n`);
    expect(await waitForServerGone(dir.path, 300)).toBe(staying);
  });
});
