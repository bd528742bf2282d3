/**
 * Issued gateway keys: `lc_` and 32 random bytes in base62 (43 characters, no "-" or "_", so a
 * double-click selects all of it). Only a SHA-256 hash and a short visible prefix are stored;
 * the key itself is shown once, when it is made.
 */
import { hash, randomBytes } from 'node:crypto';

export const KEY_PREFIX = 'lc_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_CHARS = 43; // 62^43 > 2^256
const SHAPE = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${BODY_CHARS}}$`);
/** How much of a key is shown in lists ("lc_AbCd1234…"): enough to tell keys apart, too little to guess. */
export const VISIBLE_CHARS = KEY_PREFIX.length + 8;

export interface NewKey {
  key: string;
  hash: string;
  prefix: string;
}

export function newKey(random: (n: number) => Buffer = randomBytes): NewKey {
  let n = BigInt(`0x${random(32).toString('hex')}`);
  let body = '';
  for (let i = 0; i < BODY_CHARS; i++) {
    body = ALPHABET[Number(n % 62n)]! + body;
    n /= 62n;
  }
  const key = `${KEY_PREFIX}${body}`;
  return { key, hash: hashKey(key), prefix: key.slice(0, VISIBLE_CHARS) };
}

export function hashKey(key: string): string {
  return hash('sha256', key, 'hex'); // one-shot: a key is checked on every gateway request
}

export function isKeyShaped(text: string): boolean {
  return SHAPE.test(text);
}
