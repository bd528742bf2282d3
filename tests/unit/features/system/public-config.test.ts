import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../server/core/config/load.js';
import { parseEnv } from '../../../../server/core/config/env.js';
import { resolveSettings } from '../../../../server/core/config/resolve.js';
import { publicConfig } from '../../../../server/features/system/public-config.js';

const YAML = `
cost_control:
  daily_spending_limit_usd: 3
  allowed_models:
    production: [openai/gpt-5-nano]
    development: [test/cheap-model, test/free-model]
`;

function build(env: Record<string, string>, yaml = YAML, simulated?: boolean) {
  const { config } = parseConfig(yaml, 'config.yaml', env);
  const runtime = parseEnv(env);
  return publicConfig(config, runtime, resolveSettings(config, runtime), '1.2.3', simulated);
}

const SECRETS = { OPENROUTER_API_KEY: 'sk-or-secret-value', ADMIN_TOKEN: 'admin-token-secret-'.repeat(2), SECRET_KEY: 'signing-secret-'.repeat(3) };

describe('publicConfig', () => {
  it('describes an inference deployment with a server key, issued keys and a Space', () => {
    const c = build({ ...SECRETS, SPACE_ID: 'me/lab', SPACE_HOST: 'me-lab.hf.space', DEPLOYMENT_ENV: 'production' });
    expect(c).toMatchObject({
      version: '1.2.3',
      mode: 'inference',
      deployment_env: 'production',
      key_modes: { server_key: true, byok: true, issued_keys: true },
      space: { id: 'me/lab', url: 'https://huggingface.co/spaces/me/lab', duplicate_url: 'https://huggingface.co/spaces/me/lab?duplicate=true' },
      allowed_models: ['openai/gpt-5-nano'],
      gateway: { enabled: true, admin_api: true },
      private_endpoints_allowed: false,
      simulated: false,
    });
    expect(c.limits.daily_spending_limit_usd).toBe(3);
  });

  it('never carries a secret', () => {
    const text = JSON.stringify(build({ ...SECRETS, SPACE_ID: 'me/lab' }));
    expect(text).not.toContain('sk-or-secret-value');
    expect(text).not.toContain('admin-token-secret');
    expect(text).not.toContain('signing-secret');
  });

  it('describes a data-only development deployment with no Space', () => {
    const c = build({ DEPLOYMENT_ENV: 'development', ALLOW_PRIVATE_ENDPOINTS: '1' });
    expect(c.mode).toBe('data-only');
    expect(c.deployment_env).toBe('development');
    expect(c.key_modes.server_key).toBe(false);
    expect(c.key_modes.issued_keys).toBe(false); // no ADMIN_TOKEN: nobody can issue keys
    expect(c.gateway.admin_api).toBe(false);
    expect(c.space).toBeNull();
    expect(c.allowed_models).toEqual(['test/cheap-model', 'test/free-model']);
    expect(c.private_endpoints_allowed).toBe(true);
  });

  it('follows config.yaml for BYO keys, the gateway, limits, queue and batch', () => {
    const yaml = `${YAML}
byok:
  enabled: true
  any_model: true
gateway:
  enabled: false
  default_key_rpm: 7
deployment:
  max_queue_size: 9
  max_concurrent_jobs: 2
batch:
  max_concurrency: 3
`;
    const c = build({ ...SECRETS }, yaml, true);
    expect(c.key_modes).toEqual({ server_key: true, byok: true, byok_any_model: true, issued_keys: false });
    expect(c.gateway.enabled).toBe(false);
    expect(c.gateway.key_defaults.rpm).toBe(7);
    expect(c.queue).toEqual({ max_concurrent_jobs: 2, max_queue_size: 9 });
    expect(c.batch.max_concurrency).toBe(3);
    expect(c.simulated).toBe(true);
  });

  it('does not offer any model to BYO keys when BYO is off', () => {
    const c = build({ ...SECRETS }, `${YAML}\nbyok:\n  enabled: false\n  any_model: true\n`);
    expect(c.key_modes.byok).toBe(false);
    expect(c.key_modes.byok_any_model).toBe(false);
  });
});
