import { describe, expect, it } from 'vitest';
import { bearerKey, chooseTarget, type KeySources } from '../../../../server/core/llm/targets.js';

const OR = 'https://openrouter.ai/api/v1';
const withServer: KeySources = { server: { apiKey: 'sk-server-key-123', baseUrl: 'https://up.example/v1' }, byok: { enabled: true, baseUrl: OR } };
const dataOnly: KeySources = { server: undefined, byok: { enabled: true, baseUrl: OR } };

describe('key modes', () => {
  it('uses the visitor\u2019s own key when sent, else the server key', () => {
    expect(chooseTarget(withServer, 'Bearer sk-or-visitor-1', 'a/b')).toEqual({
      target: { baseUrl: OR, apiKey: 'sk-or-visitor-1', model: 'a/b' },
      mode: 'byok',
    });
    expect(chooseTarget(withServer, undefined, 'a/b')).toEqual({
      target: { baseUrl: 'https://up.example/v1', apiKey: 'sk-server-key-123', model: 'a/b' },
      mode: 'server',
    });
  });

  it('answers 402 no_api_key in data-only mode, with both ways out', () => {
    expect(() => chooseTarget(dataOnly, undefined, 'a/b', 'me/lab')).toThrow(
      expect.objectContaining({ status: 402, code: 'no_api_key', message: expect.stringMatching(/Settings.*duplicate=true/) }),
    );
  });

  it('refuses a visitor key when BYO is off, rather than running the call on the Space\u2019s key', () => {
    const off = { ...withServer, byok: { enabled: false, baseUrl: OR } };
    expect(() => chooseTarget(off, 'Bearer sk-or-visitor-1', 'a/b')).toThrow(expect.objectContaining({ status: 403, code: 'byok_disabled' }));
    expect(chooseTarget(off, undefined, 'a/b').mode).toBe('server');
    expect(() => chooseTarget({ ...dataOnly, byok: { enabled: false, baseUrl: OR } }, 'Bearer sk-or-visitor-1', 'a/b')).toThrow(
      expect.objectContaining({ status: 403, code: 'byok_disabled' }),
    );
  });

  it('rejects malformed Authorization headers without echoing them', () => {
    expect(bearerKey(undefined)).toBeUndefined();
    for (const bad of ['Basic abc', 'Bearer ', 'Bearer short', `Bearer ${'x'.repeat(600)}`, 'Bearer has space inside']) {
      let message = '';
      try {
        bearerKey(bad);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message, bad).toMatch(/Bearer <your API key>/);
      expect(message).not.toContain('short');
    }
  });
});
