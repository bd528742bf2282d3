/**
 * `npm run keys -- <command>`: issue and manage gateway keys on the data dir directly (DATA_DIR),
 * for owners without the admin API. Refuses while a server runs on the same data dir, which
 * would write over the change; use the admin API (or stop the server) then.
 *
 *   create --name NAME [--rpm N] [--daily-usd X|none] [--monthly-usd X] [--max-concurrent N] [--models a,b] [--expires ISO]
 *   list
 *   revoke ID
 *   usage [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--key ID] [--csv]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { systemClock } from '../core/clock.js';
import { parseEnv, EnvError } from '../core/config/env.js';
import { loadConfig, ConfigError } from '../core/config/load.js';
import { AppError } from '../core/errors/app-error.js';
import { createLogger } from '../core/log/logger.js';
import { runningServer } from '../core/store/server-lock.js';
import { openAppStore } from '../app-state.js';
import { GatewayUsageBook, usageCsv } from '../features/gateway/gateway-usage.js';
import { IssuedKeys } from '../features/gateway/issued-keys.js';
import { createKeyBody } from '../features/gateway/key-settings-schema.js';

const USAGE = `Usage: npm run keys -- <command>
  create --name NAME [--rpm N] [--daily-usd X|none] [--monthly-usd X] [--max-concurrent N] [--models a,b] [--expires 2027-01-01T00:00:00Z]
  list
  revoke KEY_ID
  usage [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--key KEY_ID] [--csv]
It works on DATA_DIR (${'`'}./data${'`'} by default) while no server runs there.`;

export async function keysCli(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      rpm: { type: 'string' },
      'daily-usd': { type: 'string' },
      'monthly-usd': { type: 'string' },
      'max-concurrent': { type: 'string' },
      models: { type: 'string' },
      expires: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      key: { type: 'string' },
      csv: { type: 'boolean' },
    },
  });
  const [command, arg] = positionals;
  if (!command || !['create', 'list', 'revoke', 'usage'].includes(command)) {
    out(USAGE);
    return 2;
  }
  const runtime = parseEnv(env);
  const { config } = loadConfig(runtime.configPath, env);
  const pid = runningServer(runtime.dataDir);
  if (pid !== null && command !== 'list' && command !== 'usage') {
    out(
      `A Labcoat server (pid ${pid}) runs on ${runtime.dataDir} and would write over this change. Stop it first, or use the admin API (POST /admin/api/keys with ADMIN_TOKEN). If no server runs, delete ${runtime.dataDir}/server.pid.`,
    );
    return 3;
  }
  const store = await openAppStore({ dataDir: runtime.dataDir, flushIntervalMs: 50, clock: systemClock, logger: createLogger('silent') });
  try {
    const keys = new IssuedKeys({
      store,
      clock: systemClock,
      defaults: {
        rpm: config.gateway.default_key_rpm,
        daily_usd: config.gateway.default_key_daily_usd,
        max_concurrent: config.gateway.default_key_max_concurrent,
      },
    });
    if (command === 'create') {
      if (!values.name) throw new AppError(400, 'name_required', 'Give the key a name: --name "who it is for".');
      const settings = createKeyBody.safeParse(
        dropUndefined({
          name: values.name,
          rpm: int(values.rpm, '--rpm'),
          daily_usd: values['daily-usd'] === 'none' ? null : num(values['daily-usd'], '--daily-usd'),
          monthly_usd: num(values['monthly-usd'], '--monthly-usd'),
          max_concurrent: int(values['max-concurrent'], '--max-concurrent'),
          models: values.models
            ? values.models
                .split(',')
                .map((m) => m.trim())
                .filter(Boolean)
            : undefined,
          expires_at: values.expires ? isoDate(values.expires) : undefined,
        }),
      );
      if (!settings.success) {
        const issue = settings.error.issues[0]!;
        throw new AppError(400, 'invalid_flag', `--${String(issue.path[0] ?? 'name').replaceAll('_', '-')}: ${issue.message}.`);
      }
      const { key, view } = keys.create(settings.data);
      out(
        `Issued ${view.id} "${view.name}": ${view.rpm} rpm, ${view.daily_usd === null ? 'no daily limit' : `$${view.daily_usd} a day`}${view.monthly_usd === null ? '' : `, $${view.monthly_usd} a month`}.`,
      );
      out(`Key (shown once; only its hash is kept): ${key}`);
    } else if (command === 'list') {
      for (const k of keys.list())
        out(`${k.id}  ${k.prefix}…  ${k.state.padEnd(8)}  ${k.rpm} rpm  daily ${k.daily_usd ?? '-'}  monthly ${k.monthly_usd ?? '-'}  ${k.name}`);
    } else if (command === 'revoke') {
      if (!arg) throw new AppError(400, 'id_required', 'Name the key to revoke: npm run keys -- revoke key_….');
      out(`Revoked ${keys.revoke(arg).id}.`);
    } else {
      const rows = new GatewayUsageBook({ store, clock: systemClock }).namedRows(keys.list(), { from: values.from, to: values.to, key: values.key });
      out(values.csv ? usageCsv(rows).trimEnd() : JSON.stringify(rows, null, 2));
    }
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      out(err.message);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}

function dropUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function int(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new AppError(400, 'invalid_flag', `${flag} takes a whole number of 1 or more.`);
  return Number(v);
}

function num(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) throw new AppError(400, 'invalid_flag', `${flag} takes an amount in USD, such as 2.50.`);
  return Number(v);
}

function isoDate(v: string): string {
  if (Number.isNaN(Date.parse(v))) throw new AppError(400, 'invalid_flag', '--expires takes a date and time, such as 2027-01-01T00:00:00Z.');
  return new Date(v).toISOString();
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  keysCli(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      if (err instanceof ConfigError || err instanceof EnvError) console.error(err.message);
      else console.error(err);
      process.exitCode = 2;
    },
  );
}
