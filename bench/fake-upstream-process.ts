import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { FakeModel } from '../tests/helpers/fake-upstream.js';

const CHILD = fileURLToPath(new URL('./fake-upstream-child.ts', import.meta.url));

/** The fake upstream in its own process (fake-upstream-child.ts), as a real provider would be; close() stops it. */
export async function spawnFakeUpstream(opts: { latencyMs?: number; answerChars?: number; key?: string; models?: FakeModel[] } = {}) {
  const args = [String(opts.latencyMs ?? 0), String(opts.answerChars ?? 0), opts.key ?? '', opts.models ? JSON.stringify(opts.models) : ''];
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const { url } = JSON.parse(line.toString()) as { url: string };
  return { url, close: () => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) };
}
