import { isSealed } from '../secrets/seal.js';

/** Field names that must never hold a secret in clear text on disk. */
const SECRET_NAME = /(api_?key|secret|password|passphrase|(^|_)token)$/i;

export const REDACTED = '[redacted: was not sealed]';

/**
 * JSON for disk in which every secret-named field holds a sealed value or nothing.
 * A clear value (a bug elsewhere) is replaced, and its field name reported, so the
 * rest of the state still gets written and the secret never does.
 */
export function stringifyWithoutClearSecrets(state: unknown): { text: string; redacted: string[] } {
  const redacted: string[] = [];
  const text = JSON.stringify(state, (key, value: unknown) => {
    if (key && typeof value === 'string' && value !== '' && SECRET_NAME.test(key) && !isSealed(value)) {
      redacted.push(key);
      return REDACTED;
    }
    return value;
  });
  return { text, redacted };
}
