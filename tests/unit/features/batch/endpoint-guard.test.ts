import { describe, expect, it } from 'vitest';
import { guardEndpoint, type Resolver } from '../../../../server/features/batch/endpoint-guard.js';

const fake: Resolver = async (host) =>
  ({ 'api.groq.com': [{ address: '104.18.2.1', family: 4 }], 'evil.example': [{ address: '192.168.0.10', family: 4 }] })[host] ?? [];

describe('endpoint guard', () => {
  it('pins a public endpoint to the address it checked', async () => {
    expect(await guardEndpoint(' https://api.groq.com/openai/v1/ ', { allowPrivate: false, resolve: fake })).toEqual({
      baseUrl: 'https://api.groq.com/openai/v1',
      pin: { address: '104.18.2.1', family: 4 },
    });
  });

  it('refuses private and unresolvable endpoints with 400, the rule\u2019s code and what to do', async () => {
    await expect(guardEndpoint('https://evil.example/v1', { allowPrivate: false, resolve: fake })).rejects.toMatchObject({
      status: 400,
      code: 'private_address',
      message: expect.stringContaining('ALLOW_PRIVATE_ENDPOINTS=1'),
    });
    await expect(guardEndpoint('https://nowhere.example/v1', { allowPrivate: false, resolve: fake })).rejects.toMatchObject({
      status: 400,
      code: 'unresolvable_host',
    });
    await expect(guardEndpoint('http://[::1]:11434/v1', { allowPrivate: false, resolve: fake })).rejects.toMatchObject({ code: 'private_address' });
  });

  it('lets a local model through when private endpoints are allowed (npm start with ALLOW_PRIVATE_ENDPOINTS=1)', async () => {
    expect(await guardEndpoint('http://127.0.0.1:11434/v1', { allowPrivate: true, resolve: fake })).toMatchObject({ pin: { address: '127.0.0.1' } });
  });
});
