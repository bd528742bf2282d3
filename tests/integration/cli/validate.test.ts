import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../../helpers/temp-dir.js';

const CLI = fileURLToPath(new URL('../../../dist/server/cli/validate.js', import.meta.url));
const SHIPPED = fileURLToPath(new URL('../../../config.yaml', import.meta.url));

const run = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });

describe('npm run validate', () => {
  it('passes the shipped config with a server key, long secrets and the Space host', () => {
    const r = run([SHIPPED], { OPENROUTER_API_KEY: 'sk-or-x', ADMIN_TOKEN: 'a'.repeat(40), SECRET_KEY: 's'.repeat(40), SPACE_HOST: 'me-lab.hf.space' });
    expect(r.stdout).toContain('ready for production');
    expect(r.status).toBe(0);
  });

  it('exits 1 with the list of problems for a risky setup, without echoing secrets', () => {
    const r = run([SHIPPED], { OPENROUTER_API_KEY: 'sk-or-secret-value', ADMIN_TOKEN: 'weak', ALLOW_PRIVATE_ENDPOINTS: '1' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/ERROR +ADMIN_TOKEN is shorter/);
    expect(r.stdout).toMatch(/ERROR +ALLOW_PRIVATE_ENDPOINTS is on/);
    expect(r.stdout).toContain('2 problems to fix');
    expect(r.stdout + r.stderr).not.toContain('sk-or-secret-value');
  });

  it('exits 2 with the key and line for a config that does not parse', async () => {
    const dir = await makeTempDir();
    const bad = join(dir.path, 'config.yaml');
    writeFileSync(bad, 'server:\n  trust_proxy: maybe\n');
    const r = run([bad], {});
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('server.trust_proxy');
    expect(r.stderr).toContain(`${bad}:2`);
    await dir.cleanup();
  });
});
