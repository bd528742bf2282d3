import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnServer } from '../helpers/server-process.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { CURRENT_SCHEMA_VERSION } from '../../server/app-state.js';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => dir.cleanup());

const CONFIG = new URL('../../config.yaml', import.meta.url).pathname;

/** Many requests at once, each without a session, so each one writes a new session record. */
function burst(url: string, n: number): Promise<unknown> {
  return Promise.allSettled(Array.from({ length: n }, () => fetch(`${url}/api/config`).then((r) => r.text())));
}

describe('the server process', () => {
  it('starts in data-only mode with no key at all, serves /health and the page', async () => {
    const p = await spawnServer({ DATA_DIR: dir.path, CONFIG_PATH: CONFIG });
    const health = await (await fetch(`${p.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', mode: 'data-only' });
    expect((await fetch(`${p.url}/`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });

  it('refuses to start on a config with an unknown key, naming the key and the file', async () => {
    const bad = join(dir.path, 'config.yaml');
    await writeFile(bad, 'deployment:\n  max_jobs: 3\n');
    const p = await spawnServer({ DATA_DIR: dir.path, CONFIG_PATH: bad });
    expect((await p.exited).code).toBe(1);
    expect(p.stderr()).toContain('deployment.max_jobs: unknown key');
    expect(p.stderr()).toContain(`${bad}:2`);
  });

  it('refuses a corrupt state.json, leaves it untouched and names a backup copy', async () => {
    await writeFile(join(dir.path, 'state.json'), '{"schema_version":1,"jobs":{"a":');
    const p = await spawnServer({ DATA_DIR: dir.path, CONFIG_PATH: CONFIG });
    expect((await p.exited).code).toBe(1);
    const backup = p.stderr().match(/A copy is at (\S+?\.bak)/)?.[1];
    expect(backup).toBeDefined();
    expect(await readFile(backup!, 'utf8')).toBe('{"schema_version":1,"jobs":{"a":');
    expect(await readFile(join(dir.path, 'state.json'), 'utf8')).toBe('{"schema_version":1,"jobs":{"a":');
  });

  it('refuses a DATA_DIR it cannot write, saying what to do', async () => {
    await writeFile(join(dir.path, 'file'), 'x');
    const p = await spawnServer({ DATA_DIR: join(dir.path, 'file', 'data'), CONFIG_PATH: CONFIG });
    expect((await p.exited).code).toBe(1);
    expect(p.stderr()).toMatch(/not writable.*Point DATA_DIR/s);
  });

  it('shuts down cleanly on SIGTERM during a burst of writes, with every write on disk', async () => {
    const p = await spawnServer({ DATA_DIR: dir.path, CONFIG_PATH: CONFIG });
    const load = burst(p.url, 300);
    // Signal mid-burst: once the first answers are logged, while most are still in flight.
    while (!p.stdout().includes('"status":200')) await new Promise((r) => setTimeout(r, 2));
    const started = Date.now();
    p.child.kill('SIGTERM');
    const { code } = await p.exited;
    await load;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(p.stdout()).toContain('stopped cleanly');
    const state = JSON.parse(await readFile(join(dir.path, 'state.json'), 'utf8'));
    const answered = p
      .stdout()
      .split('\n')
      .filter((l) => l.includes('"url":"/api/config"') && l.includes('"status":200')).length;
    expect(answered).toBeGreaterThan(0);
    expect(Object.keys(state.sessions).length).toBeGreaterThanOrEqual(answered);
  });

  it('keeps state.json valid (old or new, never torn) when killed with -9 mid-write', async () => {
    for (let round = 0; round < 4; round++) {
      const p = await spawnServer({ DATA_DIR: dir.path, CONFIG_PATH: CONFIG, LABCOAT__STORE__FLUSH_INTERVAL_MS: '0' });
      const load = burst(p.url, 400);
      await new Promise((r) => setTimeout(r, 20 + round * 15));
      p.child.kill('SIGKILL');
      await p.exited;
      await load;
      const text = await readFile(join(dir.path, 'state.json'), 'utf8');
      expect(() => JSON.parse(text), `round ${round}`).not.toThrow();
      expect(JSON.parse(text).schema_version).toBe(CURRENT_SCHEMA_VERSION);
    }
    // The next start cleans up any temp file a kill left behind.
    const p = await spawnServer({ DATA_DIR: dir.path, CONFIG_PATH: CONFIG });
    expect((await fetch(`${p.url}/health`)).status).toBe(200);
    expect((await readdir(dir.path)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    p.child.kill('SIGTERM');
    await p.exited;
  }, 120_000); // five process starts: slow when the whole suite runs at once on two cores
});
