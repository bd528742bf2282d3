import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../server/core/config/load.js';
import { parseEnv } from '../../../../server/core/config/env.js';
import { checkProduction } from '../../../../server/core/config/validate.js';

const GOOD = `
cost_control:
  daily_spending_limit_usd: 3
  allowed_models:
    production: [openai/gpt-5-nano]
`;
const check = (yaml: string, env: Record<string, string>) =>
  checkProduction(parseConfig(yaml, 'c.yaml', env), { ...parseEnv(env), deploymentEnv: 'production' });
const errors = (yaml: string, env: Record<string, string>) =>
  check(yaml, env)
    .filter((f) => f.severity === 'error')
    .map((f) => f.message);

const READY = { OPENROUTER_API_KEY: 'sk-or-test', ADMIN_TOKEN: 'x'.repeat(32), SECRET_KEY: 'y'.repeat(40), SPACE_HOST: 'me-lab.hf.space' };

describe('npm run validate: production checks', () => {
  it('passes a complete production setup', () => {
    expect(errors(GOOD, READY)).toEqual([]);
  });

  it('flags no server key with BYO disabled', () => {
    expect(errors('byok:\n  enabled: false\n', {})).toEqual([expect.stringContaining('no one can call a model')]);
  });

  it('flags a missing cap, an empty whitelist and a plain-http upstream when a server key is set', () => {
    const found = errors('', { ...READY, LLM_BASE_URL: 'http://example.com/v1' });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('daily_spending_limit_usd is not set'),
        expect.stringContaining('allowed_models.production is empty'),
        expect.stringContaining('LLM_BASE_URL is not https'),
      ]),
    );
  });

  it('flags wide-open origins, spoofable proxies, weak admin tokens and private endpoints', () => {
    const yaml = `${GOOD}server:\n  allowed_origins: ["http://example.com"]\n  trust_proxy: true\n`;
    const found = errors(yaml, { ...READY, ADMIN_TOKEN: 'short', ALLOW_PRIVATE_ENDPOINTS: '1' });
    expect(found).toHaveLength(4);
  });

  it('warns (without failing) about a generated secret and auto origins without SPACE_HOST', () => {
    const findings = check(GOOD, { OPENROUTER_API_KEY: 'k', ADMIN_TOKEN: 'x'.repeat(32) });
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findings.map((f) => f.message).join('\n')).toMatch(/SECRET_KEY is not set[\s\S]*|SPACE_HOST/);
  });

  it('flags a gateway provider on plain http (an error), and one given the main upstream\u2019s key (a warning)', () => {
    const yaml = `${GOOD}gateway:\n  providers:\n    groq:\n      base_url: http://api.groq.com/openai/v1\n      key_env: OPENROUTER_API_KEY\n      models: {openai/gpt-5-nano: gpt-5-nano}\n    local:\n      base_url: http://localhost:11434/v1\n      key_env: OLLAMA_API_KEY\n      models: {}\n`;
    const findings = check(yaml, { ...READY, OLLAMA_API_KEY: 'ollama' });
    expect(findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual([
      expect.stringContaining('gateway.providers.groq: base_url http://api.groq.com/openai/v1 is plain http'),
    ]);
    expect(findings.filter((f) => f.severity === 'warning').map((f) => f.message)).toContainEqual(
      expect.stringContaining("key_env is OPENROUTER_API_KEY, the main upstream's key"),
    );
  });

  it('refuses literature sources that are not https or point at private addresses, and asks for a contact', () => {
    const yaml = `${GOOD}literature:
  sources:
    openalex: { base_url: http://api.openalex.org }
    arxiv: { base_url: https://127.0.0.1:8443/api }
    crossref: { base_url: https://10.0.0.5 }
    europepmc: { enabled: false, base_url: http://localhost }
`;
    const found = errors(yaml, READY);
    expect(found).toEqual([
      expect.stringContaining('literature.sources.openalex: base_url http://api.openalex.org is not https'),
      expect.stringContaining('literature.sources.arxiv: base_url https://127.0.0.1:8443/api is refused'),
      expect.stringContaining('literature.sources.crossref: base_url https://10.0.0.5 is refused'),
    ]);
    expect(check(GOOD, READY).map((f) => f.message)).toContainEqual(expect.stringContaining('literature.contact_email is not set'));
    expect(check(`${GOOD}literature:\n  contact_email: owner@example.org\n`, READY).map((f) => f.message)).not.toContainEqual(
      expect.stringContaining('contact_email'),
    );
  });
});
