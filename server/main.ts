/**
 * The only module that reads the environment: builds real dependencies, starts the app,
 * and shuts it down cleanly on SIGTERM/SIGINT.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from './core/clock.js';
import { parseEnv } from './core/config/env.js';
import { loadConfig } from './core/config/load.js';
import { resolveSettings } from './core/config/resolve.js';
import { createLogger } from './core/log/logger.js';
import { deriveSecrets, loadOrCreateSecret } from './core/secrets/secret-key.js';
import { openAppStore } from './app-state.js';
import { waitForServerGone, writeLock } from './core/store/server-lock.js';
import { importLegacyReservations } from './core/accounting/legacy-journal.js';
import { createApp } from './app.js';
import { Catalog, httpModelList } from './core/llm/catalog.js';
import { projectRoot } from './core/project-root.js';

const SHUTDOWN_DEADLINE_MS = 10_000;
const root = projectRoot(import.meta.url);

/** What `npm run demo` adds: a simulated model as the upstream, a simulated literature source (see server/demo.ts). */
export interface DemoOptions {
  baseUrl: string;
  model: string;
  /** Base URLs of the simulated OpenAlex and Crossref; without them the demo runs with literature off (it never leaves the machine). */
  literature?: { openalex: string; crossref: string };
}

export async function main(demo?: DemoOptions): Promise<void> {
  const env = demo ? demoEnv(demo) : parseEnv(process.env);
  const logger = createLogger(env.logLevel);
  const { config } = loadConfig(env.configPath, demo ? { ...process.env, ...demoConfig(demo) } : process.env);
  const other = await waitForServerGone(env.dataDir, 10_000, (pid) => logger.info({ pid }, 'waiting for the previous server on this DATA_DIR to exit'));
  // Two servers on one data dir would each hold the cap alone and write over each other's state.
  if (other !== null)
    throw new Error(
      `Another Labcoat server (pid ${other}) runs on ${env.dataDir}. Stop it first, or give this one its own DATA_DIR. If none runs, delete ${env.dataDir}/server.pid.`,
    );
  const store = await openAppStore({ dataDir: env.dataDir, flushIntervalMs: config.store.flush_interval_ms, clock: systemClock, logger });
  const releaseLock = writeLock(env.dataDir);
  await importLegacyReservations(store, env.dataDir);
  const { secret, source } = loadOrCreateSecret(env.dataDir, env.secretKey);
  if (source === 'generated') logger.info('generated a new SECRET_KEY into DATA_DIR');
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

  const catalog = new Catalog({
    clock: systemClock,
    logger,
    snapshot: JSON.parse(readFileSync(join(root, 'catalog', 'openrouter-models.json'), 'utf8')) as { fetched_at: string; data: unknown[] },
    fetchLive: httpModelList(env.llmBaseUrl),
    refreshMs: config.catalog.refresh_minutes * 60_000,
    timeoutMs: config.catalog.fetch_timeout_seconds * 1000,
  });
  const app = createApp({
    config,
    env,
    store,
    secrets: deriveSecrets(secret),
    clock: systemClock,
    logger,
    version,
    webDir: join(root, 'web'),
    catalog,
    simulated: demo !== undefined,
  });
  await store.flush(); // what start-up recovered and charged is on disk before anyone is served
  const address = await app.listen(env.port, env.host);
  const resolved = resolveSettings(config, env);
  logger.info(
    { port: address.port, host: env.host, mode: resolved.mode, deployment_env: env.deploymentEnv, version },
    `Labcoat listening on http://${env.host === '0.0.0.0' ? 'localhost' : env.host}:${address.port}`,
  );
  void catalog.refresh(); // in the background: the snapshot serves until the live list arrives
  if (resolved.mode === 'data-only') logger.info('no server key: data-only mode (visitors can still bring their own key)');
  if (demo)
    logger.warn(
      `DEMO: answers come from a local simulated model (${demo.model})${demo.literature ? ' and literature from a local simulated source' : ''}, not real ones`,
    );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    app
      .close({ graceMs: SHUTDOWN_DEADLINE_MS - 2000 })
      .then(() => store.close())
      .then(() => {
        releaseLock();
        logger.info('stopped cleanly');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * The demo's environment: the simulated model as the server's upstream, a data dir of its own.
 * Refused where it could reach real visitors (a Space, or DEPLOYMENT_ENV=production).
 */
function demoEnv(demo: DemoOptions) {
  const env = parseEnv({
    ...process.env,
    DATA_DIR: process.env.DATA_DIR ?? './data-demo',
    LLM_BASE_URL: demo.baseUrl,
    OPENROUTER_API_KEY: 'simulated-demo-key',
    LLM_API_KEY: undefined,
  });
  if (env.deploymentEnv === 'production' || env.spaceId)
    throw new Error('npm run demo is for local use only; it will not run on a Space or with DEPLOYMENT_ENV=production.');
  return env;
}

/**
 * The simulated model is the whole whitelist, free, for everyone; the literature sources are the
 * simulated ones on loopback, unpaced (OpenAlex searches, Crossref resolves DOIs), the others off.
 */
function demoConfig(demo: DemoOptions): Record<string, string> {
  const source = (base_url: string) => ({ enabled: true, base_url, min_interval_ms: 0 });
  const literature: Record<string, string> = demo.literature
    ? {
        LABCOAT__LITERATURE__ENABLED: 'true',
        LABCOAT__LITERATURE__SOURCES: JSON.stringify({
          openalex: source(demo.literature.openalex),
          crossref: source(demo.literature.crossref),
          europepmc: { enabled: false },
          arxiv: { enabled: false },
        }),
      }
    : { LABCOAT__LITERATURE__ENABLED: 'false' };
  return {
    LABCOAT__COST_CONTROL__ALLOWED_MODELS: `{development: [${demo.model}], production: []}`,
    LABCOAT__COST_CONTROL__TIERS: '{anonymous: all_allowed, byok: any}',
    LABCOAT__LLM__FALLBACK_MODELS: '[]',
    ...literature,
  };
}

export function exitOnStartupError(err: unknown): never {
  // Start-up errors (config, store, env) carry a message written for the operator.
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`\nLabcoat could not start:\n${message}\n\n`);
  process.exit(1);
}

// Run when started directly (npm start); server/demo.ts imports main() instead.
if (process.argv[1] && fileURLToPath(import.meta.url) === realpathSync(process.argv[1])) main().catch(exitOnStartupError);
