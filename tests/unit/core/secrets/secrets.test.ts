import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { seal, unseal } from '../../../../server/core/secrets/seal.js';
import { issueSessionToken, verifySessionToken } from '../../../../server/core/secrets/session-token.js';
import { deriveSecrets, loadOrCreateSecret, SECRET_FILE } from '../../../../server/core/secrets/secret-key.js';
import { makeTempDir } from '../../../helpers/temp-dir.js';

const key = Buffer.alloc(32, 1);

describe('seal (AES-256-GCM)', () => {
  it('round-trips and uses a fresh IV each time', () => {
    const a = seal('sk-or-v1-secret', key);
    const b = seal('sk-or-v1-secret', key);
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret');
    expect(unseal(a, key)).toBe('sk-or-v1-secret');
  });

  it('rejects a tampered value and the wrong key', () => {
    const sealed = seal('hello', key);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => unseal(tampered, key)).toThrow();
    expect(() => unseal(sealed, Buffer.alloc(32, 2))).toThrow();
  });
});

describe('session tokens', () => {
  it('verifies its own tokens and rejects forged or altered ones', () => {
    const { id, token } = issueSessionToken(key);
    expect(verifySessionToken(token, key)).toBe(id);
    expect(verifySessionToken(`${id}.forged`, key)).toBeUndefined();
    // Alter the first id character to a different one (a fixed 'Z' is the same one in 1 of 64 tokens).
    const altered = token.replace(/^s_(.)/, (_m, c: string) => `s_${c === 'Z' ? 'Y' : 'Z'}`);
    expect(altered).not.toBe(token);
    expect(verifySessionToken(altered, key)).toBeUndefined();
    expect(verifySessionToken(token, Buffer.alloc(32, 9))).toBeUndefined();
    expect(verifySessionToken(undefined, key)).toBeUndefined();
  });
});

describe('SECRET_KEY', () => {
  it('is generated once into DATA_DIR with mode 0600, then reused', async () => {
    const dir = await makeTempDir();
    const first = loadOrCreateSecret(dir.path, undefined);
    expect(first.source).toBe('generated');
    expect(statSync(join(dir.path, SECRET_FILE)).mode & 0o777).toBe(0o600);
    const second = loadOrCreateSecret(dir.path, undefined);
    expect(second).toEqual({ secret: first.secret, source: 'file' });
    expect(readFileSync(join(dir.path, SECRET_FILE), 'utf8').trim()).toBe(first.secret);
    await dir.cleanup();
  });

  it('prefers the environment and refuses a short one', () => {
    expect(loadOrCreateSecret('/nonexistent', 'k'.repeat(32)).source).toBe('env');
    expect(() => loadOrCreateSecret('/nonexistent', 'short')).toThrow(/at least 32/);
  });

  it('derives different keys per purpose', () => {
    const s = deriveSecrets('z'.repeat(40));
    expect(s.sessionSigningKey.equals(s.storageKey)).toBe(false);
    expect(s.storageKey).toHaveLength(32);
  });
});
