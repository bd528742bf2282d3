import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, parseConfig, suggest } from '../../../../server/core/config/load.js';

const problemsOf = (text: string, env: Record<string, string> = {}) => {
  try {
    parseConfig(text, '/srv/config.yaml', env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('config loading: defaults < file < environment', () => {
  it('fills every section with defaults from an empty file', () => {
    const { config } = parseConfig('', 'c.yaml');
    expect(config.deployment.max_cycles_per_session).toBe(5);
    expect(config.deployment.max_concurrent_jobs).toBe(2);
    expect(config.server.trust_proxy).toBe('auto');
    expect(config.byok.enabled).toBe(true);
  });

  it('takes values from the file over defaults and records which keys were explicit', () => {
    const { config, explicitKeys } = parseConfig('deployment:\n  max_queue_size: 7\n', 'c.yaml');
    expect(config.deployment.max_queue_size).toBe(7);
    expect(explicitKeys.has('deployment.max_queue_size')).toBe(true);
    expect(explicitKeys.has('deployment.max_concurrent_jobs')).toBe(false);
  });

  it('lets LABCOAT__SECTION__KEY override the file, parsing the value as YAML', () => {
    const { config, explicitKeys } = parseConfig('cost_control:\n  daily_spending_limit_usd: 9\n', 'c.yaml', {
      LABCOAT__COST_CONTROL__DAILY_SPENDING_LIMIT_USD: '2.5',
      LABCOAT__BYOK__ENABLED: 'false',
      LABCOAT__SERVER__ALLOWED_ORIGINS: '[https://a.example, https://b.example]',
    });
    expect(config.cost_control.daily_spending_limit_usd).toBe(2.5);
    expect(config.byok.enabled).toBe(false);
    expect(config.server.allowed_origins).toEqual(['https://a.example', 'https://b.example']);
    expect(explicitKeys.has('byok.enabled')).toBe(true);
  });

  it('loads the shipped config.yaml without problems', () => {
    const { config } = loadConfig(new URL('../../../../config.yaml', import.meta.url).pathname);
    expect(config.cost_control.allowed_models.production.length).toBeGreaterThan(3);
  });
});

describe('config errors name the key, the file and the line', () => {
  it('an unknown key, with a suggestion for a typo', () => {
    const err = problemsOf('deployment:\n  max_cycles_per_sesion: 3\n');
    expect(err.problems).toEqual([
      { key: 'deployment.max_cycles_per_sesion', message: 'unknown key (did you mean "max_cycles_per_session"?)', source: '/srv/config.yaml:2' },
    ]);
    expect(err.message).toContain('/srv/config.yaml');
  });

  it('an unknown section', () => {
    const err = problemsOf('deploymnt:\n  x: 1\n');
    expect(err.problems[0]).toMatchObject({ key: 'deploymnt', source: '/srv/config.yaml:1' });
    expect(err.problems[0]!.message).toContain('did you mean "deployment"');
  });

  it('a wrong type', () => {
    const err = problemsOf('byok:\n  enabled: sometimes\n');
    expect(err.problems[0]).toMatchObject({ key: 'byok.enabled', source: '/srv/config.yaml:2' });
  });

  it('an impossible value', () => {
    const err = problemsOf('cost_control:\n  alert_at_fraction: 0.5\n  daily_spending_limit_usd: -3\n');
    expect(err.problems[0]).toMatchObject({ key: 'cost_control.daily_spending_limit_usd', source: '/srv/config.yaml:3' });
  });

  it('a bad item in a list points at the list', () => {
    const err = problemsOf('cost_control:\n  allowed_models:\n    production:\n      - not a model id\n');
    expect(err.problems[0]!.key).toBe('cost_control.allowed_models.production.0');
    expect(err.problems[0]!.source).toMatch(/config\.yaml:[34]$/);
  });

  it('a tier that names a model outside the whitelist', () => {
    const err = problemsOf('cost_control:\n  allowed_models:\n    production: [a/b]\n  tiers:\n    anonymous: [c/d]\n');
    expect(err.problems[0]).toMatchObject({ key: 'cost_control.tiers.anonymous', source: '/srv/config.yaml:5' });
    expect(err.problems[0]!.message).toContain('c/d');
  });

  it('a bad environment override names the variable', () => {
    const err = problemsOf('', { LABCOAT__DEPLOYMENT__MAX_QUEUE_SIZE: 'lots' });
    expect(err.problems[0]).toMatchObject({ key: 'deployment.max_queue_size', source: 'env LABCOAT__DEPLOYMENT__MAX_QUEUE_SIZE' });
  });

  it('YAML syntax errors and a missing file', () => {
    expect(problemsOf('deployment: [unclosed\n').problems[0]!.message).toMatch(/YAML syntax/);
    expect(() => loadConfig('/nonexistent/config.yaml')).toThrow(/file not found.*CONFIG_PATH/s);
  });

  it('suggest() only offers close matches', () => {
    expect(suggest('enabeld', ['enabled', 'any_model'])).toBe('enabled');
    expect(suggest('colour', ['enabled', 'any_model'])).toBeUndefined();
  });
});

describe('every setting is documented', () => {
  const yaml = readFileSync(new URL('../../../../config.yaml', import.meta.url), 'utf8').split('\n');
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
  const { config } = parseConfig('', 'c.yaml');
  const keys = Object.entries(config).flatMap(([section, values]) => Object.keys(values).map((k) => [section, k] as const));

  it.each(keys)('%s.%s has a comment in config.yaml and a mention in README.md', (section, key) => {
    const sectionLine = yaml.indexOf(`${section}:`);
    expect(sectionLine, `section ${section} missing from config.yaml`).toBeGreaterThanOrEqual(0);
    const line = yaml.findIndex((l, i) => i > sectionLine && l.startsWith(`  ${key}:`));
    expect(line, `${section}.${key} missing from config.yaml`).toBeGreaterThan(sectionLine);
    expect(yaml[line - 1]!.trim().startsWith('#'), `${section}.${key} has no comment above it`).toBe(true);
    expect(readme).toContain(`${section}.${key}`);
  });
});
