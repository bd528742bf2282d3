import { describe, expect, it } from 'vitest';
import { createKeyBody, updateKeyBody } from '../../../../server/features/gateway/key-settings-schema.js';

describe('createKeyBody', () => {
  it('needs only a name (trimmed); every limit is optional', () => {
    expect(createKeyBody.parse({ name: '  ci bot ' })).toEqual({ name: 'ci bot' });
  });

  it('accepts every field within its bounds', () => {
    const full = {
      name: 'team',
      models: ['openai/gpt-4o-mini'],
      rpm: 100_000,
      max_concurrent: 1000,
      daily_usd: 0,
      monthly_usd: 1_000_000,
      expires_at: '2027-01-01T00:00:00+02:00',
      enabled: false,
    };
    expect(createKeyBody.parse(full)).toEqual(full);
    expect(createKeyBody.parse({ name: 'n', models: null, daily_usd: null, monthly_usd: null, expires_at: null })).toMatchObject({ models: null });
  });

  it.each([
    ['no name', {}],
    ['a blank name', { name: '   ' }],
    ['a name over 80 characters', { name: 'x'.repeat(81) }],
    ['an unknown field', { name: 'n', owner: 'me' }],
    ['rpm 0', { name: 'n', rpm: 0 }],
    ['a fractional rpm', { name: 'n', rpm: 1.5 }],
    ['max_concurrent over 1000', { name: 'n', max_concurrent: 1001 }],
    ['a negative daily limit', { name: 'n', daily_usd: -1 }],
    ['a monthly limit over a million', { name: 'n', monthly_usd: 1_000_001 }],
    ['a date that is not ISO', { name: 'n', expires_at: 'tomorrow' }],
    ['an empty model id', { name: 'n', models: [''] }],
    ['over 500 models', { name: 'n', models: Array.from({ length: 501 }, (_, i) => `m${i}`) }],
    ['enabled as a string', { name: 'n', enabled: 'yes' }],
  ])('refuses %s', (_what, body) => {
    expect(createKeyBody.safeParse(body).success).toBe(false);
  });
});

describe('updateKeyBody', () => {
  it('takes any subset, even none, with the same bounds', () => {
    expect(updateKeyBody.parse({})).toEqual({});
    expect(updateKeyBody.parse({ enabled: true })).toEqual({ enabled: true });
    expect(updateKeyBody.safeParse({ rpm: 0 }).success).toBe(false);
    expect(updateKeyBody.safeParse({ name: '' }).success).toBe(false);
    expect(updateKeyBody.safeParse({ surprise: 1 }).success).toBe(false);
  });
});
