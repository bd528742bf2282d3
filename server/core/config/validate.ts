import type { LoadedConfig } from './load.js';
import type { RuntimeEnv } from './env.js';
import { checkEndpointUrl } from '../policy/ssrf-rules.js';

export interface Finding {
  severity: 'error' | 'warning';
  message: string;
}

/**
 * Production readiness checks on a valid config plus the environment: the things that
 * parse fine but would cost money, leak, or leave the Space useless. Pure.
 */
export function checkProduction({ config, explicitKeys }: LoadedConfig, env: RuntimeEnv): Finding[] {
  const findings: Finding[] = [];
  const error = (message: string) => findings.push({ severity: 'error', message });
  const warn = (message: string) => findings.push({ severity: 'warning', message });
  const { cost_control: cost, server } = config;

  if (!env.serverKey && !config.byok.enabled) {
    error('No server key (OPENROUTER_API_KEY or LLM_API_KEY) and byok.enabled is false: no one can call a model. Set the secret or enable byok.');
  }
  if (env.serverKey) {
    if (!explicitKeys.has('cost_control.daily_spending_limit_usd')) {
      error('cost_control.daily_spending_limit_usd is not set: with a server key the daily cap must be chosen explicitly.');
    }
    if (cost.allowed_models.production.length === 0) {
      error('cost_control.allowed_models.production is empty: the server key could call no model. List the low-cost models you allow.');
    }
    if (!/^https:\/\//.test(env.llmBaseUrl)) {
      error(`LLM_BASE_URL is not https: the server key would travel in clear text.`);
    }
  }
  if (server.allowed_origins === 'auto' && !env.spaceHost) {
    warn('server.allowed_origins is "auto" but SPACE_HOST is not set: only same-origin browser requests will be allowed. List your public origin.');
  }
  if (Array.isArray(server.allowed_origins)) {
    const open = server.allowed_origins.filter((o) => o.startsWith('http://'));
    if (open.length > 0) error(`server.allowed_origins has plain-http origins in production: ${open.join(', ')}. Use https origins only.`);
  }
  if (server.trust_proxy === true) {
    error('server.trust_proxy is true: any client can fake its IP with X-Forwarded-For and dodge per-IP limits. Use "auto" or the number of proxy hops.');
  }
  if (env.adminToken !== undefined && env.adminToken.length < 24) {
    error('ADMIN_TOKEN is shorter than 24 characters: use a long random token (e.g. `openssl rand -hex 32`).');
  }
  for (const [name, p] of Object.entries(config.gateway.providers)) {
    if (!env.providerKeys[p.key_env]) warn(`gateway.providers.${name}: ${p.key_env} is not set, so its models answer 503 provider_key_missing.`);
    // Plain http sends the provider's key in clear over the network (a loopback server, e.g. Ollama, is fine).
    if (/^http:/i.test(p.base_url) && !/^http:\/\/(localhost|127\.|\[::1\])/i.test(p.base_url)) {
      error(`gateway.providers.${name}: base_url ${p.base_url} is plain http, so ${p.key_env} would travel unencrypted. Use https.`);
    }
    if (['OPENROUTER_API_KEY', 'LLM_API_KEY'].includes(p.key_env)) {
      warn(
        `gateway.providers.${name}: key_env is ${p.key_env}, the main upstream's key: that key would be sent to ${p.base_url}. Give the provider its own secret.`,
      );
    }
  }
  if (config.gateway.enabled && !env.adminToken) {
    warn('gateway.enabled is true but ADMIN_TOKEN is not set: keys can only be issued with npm run keys on the data dir, and the Admin view stays closed.');
  }
  if (!env.secretKey) {
    warn('SECRET_KEY is not set: one is generated into DATA_DIR. Without persistent storage it changes on every restart, which signs everyone out.');
  }
  if (env.allowPrivateEndpoints) {
    error('ALLOW_PRIVATE_ENDPOINTS is on: batch tests could reach the Space\u2019s private network. Turn it off in production.');
  }
  for (const [name, source] of Object.entries(config.literature.sources)) {
    if (!config.literature.enabled || !source.enabled) continue;
    if (!/^https:/i.test(source.base_url)) error(`literature.sources.${name}: base_url ${source.base_url} is not https. Use the source's https address.`);
    const checked = checkEndpointUrl(source.base_url, { allowPrivate: false });
    if (checked.ok === false) error(`literature.sources.${name}: base_url ${source.base_url} is refused (${checked.message}) Use the source's public address.`);
  }
  if (config.literature.enabled && config.literature.contact_email === null) {
    warn('literature.contact_email is not set: the literature sources ask for a contact (OpenAlex and Crossref answer polite callers faster). Set your email.');
  }
  if (cost.daily_spending_limit_usd > 100 && env.serverKey) {
    warn(`cost_control.daily_spending_limit_usd is ${cost.daily_spending_limit_usd}: anyone on the internet can spend this much of your key per day.`);
  }
  return findings;
}
