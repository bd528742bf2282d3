import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { REDACTED, redactDeep, scrubString } from '../../../../server/core/log/redact.js';
import { createLogger } from '../../../../server/core/log/logger.js';

describe('log redaction', () => {
  it('hides secret-named fields at any depth', () => {
    const out = redactDeep({
      headers: { authorization: 'Bearer sk-or-v1-abc', cookie: 'lc_session=x' },
      deep: { a: { apiKey: 'k', api_key: 'k2', admin_token: 't' } },
      tokens_in: 12,
    });
    expect(out).toEqual({
      headers: { authorization: REDACTED, cookie: REDACTED },
      deep: { a: { apiKey: REDACTED, api_key: REDACTED, admin_token: REDACTED } },
      tokens_in: 12,
    });
  });

  it('scrubs key-shaped strings inside messages and URLs', () => {
    expect(scrubString('upstream said: invalid key sk-or-v1-0123456789abcdef')).toBe(`upstream said: invalid key ${REDACTED}`);
    expect(scrubString('Authorization: Bearer abc.def')).toBe(`Authorization: ${REDACTED}`);
    expect(scrubString('/api/x?api_key=secret123&x=1')).toBe(`/api/x?api_key=${REDACTED}&x=1`);
    expect(scrubString('issued lc_AbCdEfGhIjKlMnOpQrStUv')).toBe(`issued ${REDACTED}`);
  });

  it('applies to real log lines, messages and error objects', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) });
    const log = createLogger('info', sink);
    log.info({ req: { headers: { authorization: 'Bearer sk-live-1234567890' } } }, 'calling with sk-or-v1-secretsecret');
    log.error({ err: new Error('401 for key sk-or-v1-leakyleaky') }, 'failed');
    const text = lines.join('');
    expect(text).not.toMatch(/sk-live|sk-or-v1-secret|leakyleaky/);
    expect(lines).toHaveLength(2);
  });
});
