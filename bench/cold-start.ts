import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../dist/server/main.js', import.meta.url));

/** Spawn → first /health 200, and resident memory after a short idle, for the compiled server. */
export async function coldStart(runs = 5): Promise<{ startMs: number[]; idleRssMb: number }> {
  const startMs: number[] = [];
  let idleRssMb = 0;
  for (let i = 0; i < runs; i++) {
    const dataDir = await mkdtemp(join(tmpdir(), 'labcoat-bench-'));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const t0 = performance.now();
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', LLM_BASE_URL: 'http://127.0.0.1:9/v1' },
      stdio: 'ignore',
    });
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (child.exitCode !== null) throw new Error('server exited during start');
      await new Promise((r) => setTimeout(r, 5));
    }
    startMs.push(performance.now() - t0);
    if (i === runs - 1) {
      await new Promise((r) => setTimeout(r, 2000));
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      idleRssMb = Number(metrics.match(/^labcoat_process_resident_memory_bytes (\d+)/m)?.[1] ?? 0) / 2 ** 20;
    }
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await rm(dataDir, { recursive: true, force: true });
  }
  return { startMs, idleRssMb };
}
