import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Session tokens are `<id>.<hmac>`: the id is random, the HMAC proves the server issued it. */
export function issueSessionToken(key: Buffer): { id: string; token: string } {
  const id = `s_${randomBytes(16).toString('base64url')}`;
  return { id, token: `${id}.${sign(id, key)}` };
}

/** The session id if the token is one this server signed, else undefined. */
export function verifySessionToken(token: string | undefined, key: Buffer): string | undefined {
  if (!token || token.length > 128) return undefined;
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const id = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(sign(id, key));
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}

function sign(id: string, key: Buffer): string {
  return createHmac('sha256', key).update(id).digest('base64url').slice(0, 32);
}
