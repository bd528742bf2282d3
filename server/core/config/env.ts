import { z } from 'zod';

/** The process environment, parsed once. Only server/main.ts and the validate command read process.env. */
export interface RuntimeEnv {
  port: number;
  host: string;
  configPath: string;
  dataDir: string;
  /** The server key; undefined means data-only unless visitors bring keys. Never logged. */
  serverKey: string | undefined;
  llmBaseUrl: string;
  /** Every *_API_KEY variable, for the gateway's extra providers (config gateway.providers[].key_env). */
  providerKeys: Record<string, string>;
  adminToken: string | undefined;
  secretKey: string | undefined;
  allowPrivateEndpoints: boolean;
  logLevel: string;
  deploymentEnv: 'production' | 'development';
  spaceId: string | undefined;
  spaceHost: string | undefined;
}

const flag = z
  .string()
  .optional()
  .transform((v) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim()));

const optionalSecret = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(7860),
  HOST: z.string().min(1).default('0.0.0.0'),
  CONFIG_PATH: z.string().min(1).default('./config.yaml'),
  DATA_DIR: z.string().min(1).default('./data'),
  OPENROUTER_API_KEY: optionalSecret,
  LLM_API_KEY: optionalSecret,
  LLM_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://openrouter.ai/api/v1'),
  ADMIN_TOKEN: optionalSecret,
  SECRET_KEY: optionalSecret,
  ALLOW_PRIVATE_ENDPOINTS: flag,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEPLOYMENT_ENV: z.enum(['production', 'development']).optional(),
  SPACE_ID: optionalSecret,
  SPACE_HOST: optionalSecret,
});

export class EnvError extends Error {
  constructor(problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export function parseEnv(env: Record<string, string | undefined>): RuntimeEnv {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    // Name the variable, never echo its value: it may be a secret.
    throw new EnvError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = result.data;
  return {
    port: e.PORT,
    host: e.HOST,
    configPath: e.CONFIG_PATH,
    dataDir: e.DATA_DIR,
    serverKey: e.OPENROUTER_API_KEY ?? e.LLM_API_KEY,
    llmBaseUrl: e.LLM_BASE_URL.replace(/\/+$/, ''),
    adminToken: e.ADMIN_TOKEN,
    secretKey: e.SECRET_KEY,
    allowPrivateEndpoints: e.ALLOW_PRIVATE_ENDPOINTS,
    logLevel: e.LOG_LEVEL,
    deploymentEnv: e.DEPLOYMENT_ENV ?? (e.SPACE_ID ? 'production' : 'development'),
    spaceId: e.SPACE_ID,
    spaceHost: e.SPACE_HOST,
    providerKeys: providerKeys(env),
  };
}

/** Keys of extra gateway providers: any *_API_KEY variable (config names which one a provider uses). */
function providerKeys(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env)
      .filter((e): e is [string, string] => /^[A-Z][A-Z0-9_]*_API_KEY$/.test(e[0]) && typeof e[1] === 'string' && e[1].trim() !== '')
      .map(([k, v]) => [k, v.trim()]), // a secret pasted with a newline would break the Authorization header
  );
}
