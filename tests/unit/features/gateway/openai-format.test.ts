import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../server/core/errors/app-error.js';
import { chunk, completion, completionId, openAiError, usageChunk, usageOf } from '../../../../server/features/gateway/openai-format.js';

describe('completionId', () => {
  it('looks like OpenAI’s and is new each time', () => {
    const a = completionId();
    expect(a).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(completionId()).not.toBe(a);
  });
});

describe('usageOf', () => {
  it('maps tokens and reports what was charged as cost', () => {
    expect(usageOf({ usage: { tokens_in: 10, tokens_out: 5 }, charged_usd: 0.0012 })).toEqual({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      cost: 0.0012,
    });
  });
});

const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3, cost: 0 };

describe('completion', () => {
  it('is a chat.completion object with one assistant choice', () => {
    expect(completion('chatcmpl-x', 1_700_000_000, 'm/1', 'Hello', 'length', usage)).toEqual({
      id: 'chatcmpl-x',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'm/1',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello', refusal: null }, logprobs: null, finish_reason: 'length' }],
      usage,
    });
  });

  it('reports stop when the upstream gave no finish reason', () => {
    expect(completion('id', 0, 'm', '', null, usage).choices[0]!.finish_reason).toBe('stop');
  });
});

describe('stream chunks', () => {
  it('carry the delta and the finish reason as given (null while streaming)', () => {
    expect(chunk('id', 5, 'm', { content: 'Hi' }, null)).toEqual({
      id: 'id',
      object: 'chat.completion.chunk',
      created: 5,
      model: 'm',
      choices: [{ index: 0, delta: { content: 'Hi' }, logprobs: null, finish_reason: null }],
    });
    expect(chunk('id', 5, 'm', {}, 'stop').choices[0]!.finish_reason).toBe('stop');
  });

  it('end with a usage chunk that has no choices', () => {
    expect(usageChunk('id', 5, 'm', usage)).toEqual({ id: 'id', object: 'chat.completion.chunk', created: 5, model: 'm', choices: [], usage });
  });
});

describe('openAiError', () => {
  it.each([
    [429, 'key_daily_limit', 'insufficient_quota'],
    [429, 'key_monthly_limit', 'insufficient_quota'],
    [429, 'daily_budget_exhausted', 'insufficient_quota'],
    [429, 'rate_limited', 'requests'],
    [500, 'internal_error', 'server_error'],
    [503, 'upstream_unavailable', 'server_error'],
    [400, 'invalid_json', 'invalid_request_error'],
    [401, 'invalid_api_key', 'invalid_request_error'],
    [402, 'daily_budget_exhausted', 'invalid_request_error'],
  ])('status %i %s is type %s, and the code stays Labcoat’s own', (status, code, type) => {
    expect(openAiError(new AppError(status, code, 'msg'))).toEqual({ error: { message: 'msg', type, param: null, code } });
  });

  it('names the param when the details say which', () => {
    expect(openAiError(new AppError(400, 'invalid_request', 'bad model', { details: { param: 'model' } })).error.param).toBe('model');
    expect(openAiError(new AppError(400, 'invalid_request', 'bad', { details: { param: 42 } })).error.param).toBeNull();
  });
});
