import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS, emptyState, openAppStore, type AppStore } from '../../server/app-state.js';
import { createLogger } from '../../server/core/log/logger.js';
import { STATE_FILE } from '../../server/core/store/store.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

const logger = createLogger('silent');
let dir: TempDir | undefined;
let store: AppStore | undefined;
afterEach(async () => {
  await store?.close();
  await dir?.cleanup();
  store = dir = undefined;
});

/** What a state.json of version `v` held: the first version's keys, then each migration's additions up to v. */
function stateOfVersion(v: number): Record<string, unknown> {
  let state: Record<string, unknown> = {
    schema_version: 1,
    created_at: '2025-01-01T00:00:00.000Z',
    sessions: { s1: { created_at: 1, last_seen_at: 2 } },
    jobs: {},
    job_stats: { demo: { avg_ms: 5, count: 1 } },
  };
  for (const m of MIGRATIONS.filter((x) => x.to <= v).sort((a, b) => a.to - b.to)) state = { ...m.up(state), schema_version: m.to };
  return state;
}

describe('the state document', () => {
  it.each(Array.from({ length: CURRENT_SCHEMA_VERSION }, (_, i) => i + 1))(
    'loads a state.json of schema version %i, keeps what it held and keeps a backup',
    async (v) => {
      dir = await makeTempDir('labcoat-app-state-');
      const original = JSON.stringify(stateOfVersion(v));
      await writeFile(join(dir.path, STATE_FILE), original);
      store = await openAppStore({ dataDir: dir.path, flushIntervalMs: 20, clock: new FakeClock(), logger });
      expect(Object.keys(store.data).sort()).toEqual(Object.keys(emptyState(new Date())).sort());
      expect(store.data.schema_version).toBe(CURRENT_SCHEMA_VERSION);
      expect(store.data.sessions.s1).toEqual({ created_at: 1, last_seen_at: 2 });
      expect(store.data.job_stats.demo).toEqual({ avg_ms: 5, count: 1 });
      expect(JSON.parse(await readFile(join(dir.path, STATE_FILE), 'utf8')).schema_version).toBe(CURRENT_SCHEMA_VERSION);
      if (v < CURRENT_SCHEMA_VERSION) expect(await readFile(join(dir.path, `${STATE_FILE}.v${v}.bak`), 'utf8')).toBe(original);
    },
  );
});
