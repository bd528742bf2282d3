import { z } from 'zod';

/**
 * Every setting in config.yaml, declared once with its default and help text.
 * The help text is what `describe()` carries; a test checks each key is documented
 * in config.yaml and README.md.
 */

const modelId = z
  .string()
  .min(3)
  .max(200)
  .regex(/^[\w.-]+\/[\w.:-]+$/, 'expected a model id like "provider/model-name"');

const positiveInt = (max: number) => z.number().int().min(1).max(max);

const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}, 'expected an origin like "https://example.com" (scheme and host, no path)');

const hostName = z.string().refine((value) => {
  if (!/^[^/?#@\\\s*]+$/.test(value)) return false;
  try {
    return new URL(`http://${value}`).hostname !== '';
  } catch {
    return false;
  }
}, 'expected a host name like "lab.example.com" or "lab.example.com:8443" (no scheme, path or wildcard)');

const deployment = z.strictObject({
  max_cycles_per_session: positiveInt(1000).default(5).describe('Research cycles one session may run.'),
  max_hypotheses_per_cycle: positiveInt(10).default(3).describe('Upper bound on hypotheses generated per cycle (requests above it are clamped).'),
  session_timeout_minutes: positiveInt(7 * 24 * 60)
    .default(30)
    .describe('Minutes of inactivity after which a session and its quota counters expire.'),
  max_concurrent_jobs: positiveInt(64).default(2).describe('Jobs that run at the same time; the rest wait in the queue.'),
  max_queue_size: z.number().int().min(0).max(10_000).default(50).describe('Jobs that may wait; beyond this new jobs get 503 queue_full.'),
});

const allowedModels = z.strictObject({
  production: z.array(modelId).default([]).describe('Models the server key may call when DEPLOYMENT_ENV=production.'),
  development: z.array(modelId).default([]).describe('Models the server key may call in development.'),
});

const tierModels = z.union([z.literal('all_allowed'), z.array(modelId)]);

const tiers = z.strictObject({
  anonymous: tierModels.default('all_allowed').describe('Models visitors on the server key may use: "all_allowed" or a list from allowed_models.'),
  byok: z
    .union([z.literal('any'), z.literal('all_allowed'), z.array(modelId)])
    .default('any')
    .describe('Models visitors with their own key may use: "any", "all_allowed" or a list.'),
});

const costControl = z.strictObject({
  daily_spending_limit_usd: z
    .number()
    .positive()
    .max(100_000)
    .default(5)
    .describe('Hard daily cap (UTC) on what the server key may spend, in USD. Never exceeded.'),
  alert_at_fraction: z.number().gt(0).max(1).default(0.8).describe('Fraction of the daily cap at which a warning is logged and shown on the page.'),
  per_session_limit_requests: positiveInt(100_000).default(10).describe('Model-calling requests one session may make on the server key.'),
  requests_per_hour_per_ip: positiveInt(1_000_000).default(20).describe('Model-calling requests one client IP may make per hour on the server key.'),
  allowed_models: allowedModels.prefault({}).describe('The model whitelist, per deployment environment.'),
  tiers: tiers.prefault({}).describe('Which models each kind of caller may use.'),
  default_max_tokens: positiveInt(200_000)
    .default(1024)
    .describe('max_tokens given to a server-key call that sets none; its reservation counts every one of them.'),
  assumed_prices: z
    .record(modelId, z.strictObject({ input: z.number().min(0).max(10_000), output: z.number().min(0).max(10_000) }))
    .default({})
    .describe('USD per 1M tokens to assume for whitelisted models the catalog gives no price; without one such a model is refused on the server key.'),
});

const byok = z.strictObject({
  enabled: z.boolean().default(true).describe('Visitors may bring their own OpenRouter key (sent per request, never stored).'),
  any_model: z.boolean().default(true).describe('Visitors with their own key may use models beyond the whitelist.'),
});

const batch = z.strictObject({
  max_active_sessions_per_ip: positiveInt(100).default(1).describe('Batch-test sessions one client IP may hold at once.'),
  session_ttl_minutes: positiveInt(24 * 60)
    .default(60)
    .describe('Minutes a batch session (and its encrypted key) lives.'),
  max_run_seconds: positiveInt(24 * 3600)
    .default(1800)
    .describe('Longest a batch run holds a job slot (shared with research) at a time; it stops there, resumable.'),
  max_concurrency: positiveInt(32).default(4).describe('Highest number of prompts a batch run sends at once to each endpoint (a compare run has two).'),
});

const gateway = z.strictObject({
  enabled: z.boolean().default(true).describe('Serve the OpenAI-compatible /v1 API for issued keys (ADMIN_TOKEN opens the admin API that issues them).'),
  default_key_rpm: positiveInt(100_000).default(60).describe('Requests per minute for a newly issued key.'),
  default_key_daily_usd: z.number().min(0).max(100_000).default(1).describe('Daily USD limit for a newly issued key.'),
  default_key_max_concurrent: positiveInt(1000).default(10).describe('Requests a newly issued key may have in flight at once.'),
  providers: z
    .record(
      z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a provider name: lowercase letters, digits and "-"'),
      z.strictObject({
        base_url: z.url({ protocol: /^https?$/ }).describe('The provider\u2019s OpenAI-compatible base URL, e.g. https://api.groq.com/openai/v1.'),
        key_env: z
          .string()
          .regex(/^[A-Z][A-Z0-9_]*_API_KEY$/, 'the name of an environment variable ending in _API_KEY')
          .describe('The environment variable (a Space secret) holding its key.'),
        models: z
          .record(modelId, z.string().min(1).max(200))
          .describe('Model ids as the gateway names them (whitelisted, priced) → the provider\u2019s own ids.'),
      }),
    )
    .default({})
    .describe('Other OpenAI-compatible providers the gateway routes named models to; every other model goes to the main upstream (OpenRouter by default).'),
});

const trustProxy = z.union([z.literal('auto'), z.boolean(), z.number().int().min(0).max(10), z.array(z.string().min(1))]);

const server = z.strictObject({
  trust_proxy: trustProxy
    .default('auto')
    .describe('Proxy hops to trust for client IPs: "auto" (1 when SPACE_ID is set, else none), false, a number, or a list of addresses.'),
  allowed_origins: z
    .union([z.literal('auto'), z.array(origin)])
    .default('auto')
    .describe('Browser origins allowed to call the API: "auto" (https://$SPACE_HOST, plus localhost in development) or a list.'),
  allowed_hosts: z
    .array(hostName)
    .default([])
    .describe(
      'Host headers the server answers besides localhost, SPACE_HOST, the allowed_origins hosts and its own IP addresses ("name" any port, "name:port" that port); others get 421 (DNS rebinding guard).',
    ),
  rate_limit_per_minute: positiveInt(1_000_000).default(300).describe('Baseline API requests per minute per client IP, whatever the key mode.'),
  body_limit_kb: positiveInt(10_240).default(256).describe('Largest JSON request body, in KB.'),
});

const realtime = z.strictObject({
  heartbeat_seconds: positiveInt(600).default(30).describe('Seconds between pings; a socket that misses one is dropped.'),
  max_buffered_kb: positiveInt(65_536).default(1024).describe('Unsent data allowed per live client before it is dropped as stalled.'),
  max_message_kb: positiveInt(1024).default(16).describe('Largest message a client may send on /ws.'),
  max_topics_per_client: positiveInt(1000).default(50).describe('Topics one live client may subscribe to.'),
});

const seconds = (max: number) => z.number().int().min(1).max(max);

const llm = z.strictObject({
  timeouts_seconds: z
    .strictObject({
      research: seconds(900).default(120),
      batch: seconds(900).default(60),
      chat: seconds(900).default(90),
      gateway: seconds(900).default(300),
      connect: seconds(120).default(15),
    })
    .prefault({})
    .describe('Whole-call deadline per kind of call (research, batch, chat, gateway, connect), streamed body included.'),
  fallback_models: z.array(modelId).default([]).describe('Models to try, in order, when the chosen one is unavailable (only those the caller may use).'),
  cache_entries: z.number().int().min(0).max(10_000).default(100).describe('Deterministic (temperature 0) answers kept in memory; 0 turns the cache off.'),
  cache_ttl_seconds: seconds(86_400).default(300).describe('How long a cached answer is reused.'),
});

const catalog = z.strictObject({
  refresh_minutes: seconds(24 * 60)
    .default(60)
    .describe('How often the live model list is fetched again.'),
  fetch_timeout_seconds: seconds(120).default(10).describe('Deadline for fetching the live model list; the shipped snapshot is used meanwhile.'),
});

const store = z.strictObject({
  flush_interval_ms: z.number().int().min(0).max(10_000).default(250).describe('Updates within this window are written to state.json together.'),
});

const literatureSource = (baseUrl: string, minIntervalMs: number, what: string) =>
  z
    .strictObject({
      enabled: z.boolean().default(true),
      base_url: z.url({ protocol: /^https?$/ }).default(baseUrl),
      min_interval_ms: z.number().int().min(0).max(60_000).default(minIntervalMs),
    })
    .prefault({})
    .describe(what);

const literature = z.strictObject({
  enabled: z.boolean().default(true).describe('Search the literature for research runs and check every reference (off: runs use the model alone).'),
  contact_email: z
    .email()
    .nullable()
    .default(null)
    .describe('Your contact, sent in the User-Agent (and as mailto to OpenAlex and Crossref): recommended by every source.'),
  timeout_seconds: positiveInt(60).default(10).describe('Seconds one literature request may take.'),
  max_response_kb: positiveInt(10_240).default(2048).describe('Answers larger than this are dropped.'),
  queries_per_cycle: z.number().int().min(1).max(6).default(3).describe('Search queries a research cycle derives from the goal (one model call makes them).'),
  max_lookups_per_cycle: positiveInt(500)
    .default(60)
    .describe('Literature requests one cycle may make at most (searches and reference checks; cached answers are free).'),
  sources: z
    .strictObject({
      openalex: literatureSource('https://api.openalex.org', 100, 'OpenAlex: all fields.'),
      europepmc: literatureSource('https://www.ebi.ac.uk/europepmc/webservices/rest', 100, 'Europe PMC: life sciences.'),
      arxiv: literatureSource('https://export.arxiv.org/api', 3000, 'arXiv: one request per 3 s, as it asks.'),
      crossref: literatureSource('https://api.crossref.org', 100, 'Crossref: resolves DOIs.'),
    })
    .prefault({})
    .describe('Each source: enabled, base_url (the owner\u2019s; never a visitor\u2019s), min_interval_ms between requests.'),
});

export const configSchema = z.strictObject({
  deployment: deployment.prefault({}).describe('Session and queue limits.'),
  cost_control: costControl.prefault({}).describe('Whitelist, quotas and the daily cap for the server key.'),
  byok: byok.prefault({}).describe('Bring-your-own-key settings.'),
  batch: batch.prefault({}).describe('Batch tests against visitors\u2019 own endpoints.'),
  gateway: gateway.prefault({}).describe('The OpenAI-compatible gateway for issued keys.'),
  server: server.prefault({}).describe('HTTP server, proxy and origin settings.'),
  realtime: realtime.prefault({}).describe('Live updates over WebSocket and SSE.'),
  llm: llm.prefault({}).describe('The LLM client: deadlines, fallbacks, cache.'),
  catalog: catalog.prefault({}).describe('The model catalog.'),
  literature: literature.prefault({}).describe('Literature sources for research runs.'),
  store: store.prefault({}).describe('The state file.'),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
