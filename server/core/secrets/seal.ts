import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Marks a value as sealed; the store refuses to write secret-named fields without it. */
export const SEALED_PREFIX = 'enc:v1:';

/** AES-256-GCM with a random 96-bit IV per value; the auth tag is checked on open. */
export function seal(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${SEALED_PREFIX}${iv.toString('base64url')}.${tag.toString('base64url')}.${body.toString('base64url')}`;
}

export function unseal(sealed: string, key: Buffer): string {
  if (!sealed.startsWith(SEALED_PREFIX)) throw new Error('not a sealed value');
  const [iv, tag, body] = sealed.slice(SEALED_PREFIX.length).split('.');
  if (!iv || !tag || body === undefined) throw new Error('malformed sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

export function isSealed(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}
