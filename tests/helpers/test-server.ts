import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createApp, type App } from '../../server/app.js';
import { systemClock, type Clock } from '../../server/core/clock.js';
import { parseEnv } from '../../server/core/config/env.js';
import { configSchema, type Config, type ConfigInput } from '../../server/core/config/schema.js';
import type { JobHandler } from '../../server/core/jobs/job-types.js';
import { createLogger } from '../../server/core/log/logger.js';
import { deriveSecrets, loadOrCreateSecret } from '../../server/core/secrets/secret-key.js';

import { makeTempDir } from './temp-dir.js';
import { Catalog, httpModelList } from '../../server/core/llm/catalog.js';
import { importLegacyReservations } from '../../server/core/accounting/legacy-journal.js';
import { type AppStore, openAppStore } from '../../server/app-state.js';

export const SNAPSHOT = JSON.parse(readFileSync(new URL('../../catalog/openrouter-models.json', import.meta.url), 'utf8')) as {
  fetched_at: string;
  data: unknown[];
};

export const WEB_DIR = fileURLToPath(new URL('../../web', import.meta.url));

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export interface TestServerOptions {
  config?: DeepPartial<ConfigInput>;
  /** Environment as main.ts would see it (DATA_DIR is set to a temp dir unless given). */
  env?: Record<string, string | undefined>;
  jobHandlers?: Record<string, JobHandler>;
  clock?: Clock;
  dataDir?: string;
  /** Where the catalog's live list comes from (a fake upstream); none by default, so tests never leave the machine. */
  catalogUrl?: string;
  logLevel?: string;
  /** How literature requests are sent (benchmarks add latency). */
  literatureFetch?: typeof fetch;
}

export interface TestServer {
  url: string;
  wsUrl: string;
  app: App;
  store: AppStore;
  config: Config;
  dataDir: string;
  /** Every log line the app wrote, as text (to check that no secret leaks). */
  logs: string[];
  close(): Promise<void>;
}

/** The real app on 127.0.0.1, port 0, with its own temp data dir: what main.ts builds, minus process.env. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const temp = opts.dataDir ? undefined : await makeTempDir('labcoat-test-');
  const dataDir = opts.dataDir ?? temp!.path;
  const env = parseEnv({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', ...opts.env });
  // Literature is off unless a test points its sources at loopback fakes: no test leaves the machine.
  const defaults = { store: { flush_interval_ms: 20 }, server: { rate_limit_per_minute: 10_000 }, literature: { enabled: false } };
  const config = configSchema.parse(mergeDeep(defaults, opts.config ?? {}));
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger(opts.logLevel ?? 'info', sink);
  const clock = opts.clock ?? systemClock;
  const store = await openAppStore({ dataDir, flushIntervalMs: config.store.flush_interval_ms, clock, logger });
  await importLegacyReservations(store, dataDir);
  const { secret } = loadOrCreateSecret(dataDir, env.secretKey);
  const catalog = new Catalog({
    clock,
    logger,
    snapshot: SNAPSHOT,
    ...(opts.catalogUrl ? { fetchLive: httpModelList(opts.catalogUrl) } : {}),
    refreshMs: config.catalog.refresh_minutes * 60_000,
    timeoutMs: config.catalog.fetch_timeout_seconds * 1000,
  });
  const app = createApp({
    catalog,
    config,
    env,
    store,
    secrets: deriveSecrets(secret),
    clock,
    logger,
    version: '0.0.0-test',
    webDir: WEB_DIR,
    ...(opts.jobHandlers ? { jobHandlers: opts.jobHandlers } : {}),
    ...(opts.literatureFetch ? { literatureFetch: opts.literatureFetch } : {}),
  });
  await store.flush();
  const { port } = await app.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    app,
    store,
    config,
    dataDir,
    logs,
    async close() {
      await app.close({ graceMs: 3000 });
      await store.close();
      await temp?.cleanup();
    },
  };
}

function mergeDeep(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const prev = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)
        ? mergeDeep(prev as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
