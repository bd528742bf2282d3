import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppStore, type AppStore } from '../../../server/app-state.js';
import { systemClock } from '../../../server/core/clock.js';
import { parseEnv } from '../../../server/core/config/env.js';
import { configSchema } from '../../../server/core/config/schema.js';
import { buildCore, type Core } from '../../../server/core/core.js';
import { Catalog } from '../../../server/core/llm/catalog.js';
import { createLogger } from '../../../server/core/log/logger.js';
import { deriveSecrets } from '../../../server/core/secrets/secret-key.js';
import type { Feature, HttpContext } from '../../../server/http/feature.js';
import { createHttpApp } from '../../../server/http/http-app.js';
import { mountBatch } from '../../../server/features/batch/feature.js';
import { mountChat } from '../../../server/features/chat/feature.js';
import { mountGateway } from '../../../server/features/gateway/feature.js';
import { mountModels } from '../../../server/features/models/feature.js';
import { mountQueue } from '../../../server/features/queue/feature.js';
import { mountResearch } from '../../../server/features/research/feature.js';
import { mountSystem } from '../../../server/features/system/feature.js';
import { mountUsage } from '../../../server/features/usage/feature.js';
import { SNAPSHOT, WEB_DIR } from '../../helpers/test-server.js';
import { makeTempDir, type TempDir } from '../../helpers/temp-dir.js';

type Mount = (core: Core<AppStore['data']>, http: HttpContext) => Feature;

/** Each feature, and one request only it answers (a feature not mounted leaves it to the 404). */
const FEATURES: Array<{ name: string; mount: Mount; path: string; init?: RequestInit; status: number }> = [
  { name: 'system', mount: mountSystem, path: '/api/config', status: 200 },
  { name: 'queue', mount: (core) => mountQueue(core), path: '/api/queue', status: 200 },
  { name: 'models', mount: (core) => mountModels(core), path: '/api/models', status: 200 },
  { name: 'usage', mount: (core) => mountUsage(core), path: '/api/usage', status: 200 },
  { name: 'research', mount: (core) => mountResearch(core), path: '/api/research/runs', status: 200 },
  {
    name: 'chat',
    mount: (core) => mountChat(core),
    path: '/api/chat',
    init: { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } },
    status: 422,
  },
  { name: 'batch', mount: (core) => mountBatch(core), path: '/api/batch/suites', status: 200 },
  { name: 'gateway', mount: mountGateway, path: '/v1/models', status: 401 },
];

let temp: TempDir | undefined;
let server: Server | undefined;
let store: AppStore | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await store?.close();
  await temp?.cleanup();
  server = store = temp = undefined;
});

/** The core and the HTTP shell as app.ts builds them, with only `mounted` on it; answers at its base URL. */
async function serveOnly(mounted: Mount[]): Promise<string> {
  temp = await makeTempDir('labcoat-mount-');
  const logger = createLogger('silent');
  const config = configSchema.parse({ store: { flush_interval_ms: 20 } });
  const env = parseEnv({ DATA_DIR: temp.path, HOST: '127.0.0.1', PORT: '0' });
  store = await openAppStore({ dataDir: temp.path, flushIntervalMs: 20, clock: systemClock, logger });
  const catalog = new Catalog({ clock: systemClock, logger, snapshot: SNAPSHOT, refreshMs: 3600_000, timeoutMs: 1000 });
  const secrets = deriveSecrets(Buffer.alloc(32, 7).toString('hex'));
  const core = buildCore({ config, env, store, secrets, clock: systemClock, logger, version: 'test', catalog, simulated: false });
  const http = createHttpApp(core, WEB_DIR);
  const features = mounted.map((mount) => mount(core, http.context));
  for (const topic of features.flatMap((f) => f.topics ?? [])) core.hub.addTopic(topic);
  server = http.serve(features).server;
  core.runs.recover();
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('each feature mounts alone on the core', () => {
  it.each(FEATURES)('$name answers its own route, and nothing else of the others', async ({ name, mount, path, init, status }) => {
    const url = await serveOnly([mount]);
    const own = await fetch(`${url}${path}`, init);
    expect(own.status, `${name}: ${path}`).toBe(status);
    for (const other of FEATURES.filter((f) => f.name !== name && f.path !== path)) {
      const res = await fetch(`${url}${other.path}`, other.init);
      expect(res.status, `${other.path} with only ${name} mounted`).toBe(404);
    }
  });
});
