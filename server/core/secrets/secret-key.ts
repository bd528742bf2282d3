import { randomBytes, hkdfSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Purpose-bound keys derived from SECRET_KEY, so one leaked subkey does not expose the others. */
export interface Secrets {
  sessionSigningKey: Buffer;
  storageKey: Buffer;
  /** Keys the hash under which client addresses are counted (the state file never holds one). */
  addressHashKey: Buffer;
}

export const SECRET_FILE = 'secret.key';

/**
 * SECRET_KEY from the environment, else the one generated into DATA_DIR on first start
 * (file mode 0600, never in state.json).
 */
export function loadOrCreateSecret(dataDir: string, fromEnv: string | undefined): { secret: string; source: 'env' | 'file' | 'generated' } {
  if (fromEnv !== undefined) {
    if (fromEnv.length < 32) throw new Error('SECRET_KEY must be at least 32 characters (e.g. `openssl rand -hex 32`).');
    return { secret: fromEnv, source: 'env' };
  }
  const path = join(dataDir, SECRET_FILE);
  try {
    const secret = readFileSync(path, 'utf8').trim();
    if (secret.length >= 32) return { secret, source: 'file' };
    throw new Error(`${path} holds fewer than 32 characters. Delete it to generate a new one (this signs everyone out).`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32).toString('base64url');
  // 'wx' never overwrites a secret another process just wrote.
  writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return { secret, source: 'generated' };
}

export function deriveSecrets(secret: string): Secrets {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'labcoat', info, 32));
  return { sessionSigningKey: derive('session-signing'), storageKey: derive('storage-encryption'), addressHashKey: derive('address-hash') };
}
