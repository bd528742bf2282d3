import { describe, expect, it } from 'vitest';
import { errorBody } from '../../../helpers/fake-upstream.js';
import { breakerOpenError, fromStreamError, fromUpstreamStatus, timeoutError, unreachableError } from '../../../../server/core/llm/upstream-error.js';

describe('upstream errors', () => {
  it.each([
    [401, 401, 'upstream_auth_failed', false],
    [402, 402, 'insufficient_credits', false],
    [403, 403, 'content_refused', false],
    [404, 404, 'model_not_found', false],
    [408, 504, 'upstream_timeout', true],
    [409, 502, 'upstream_unavailable', true],
    [422, 400, 'upstream_bad_request', false],
    [429, 429, 'upstream_rate_limited', true],
    [500, 502, 'upstream_unavailable', true],
    [503, 502, 'upstream_unavailable', true],
  ])('HTTP %i becomes %i %s (retryable: %s)', (status, ours, code, retryable) => {
    const err = fromUpstreamStatus(status, errorBody(status));
    expect(err).toMatchObject({ status: ours, code, retryable, upstreamStatus: status });
    expect(err.message.length).toBeGreaterThan(30);
  });

  it('recognises context-length errors in a 400 body', () => {
    const err = fromUpstreamStatus(400, errorBody(400, "This endpoint's maximum context length is 8192 tokens."));
    expect(err.code).toBe('context_length_exceeded');
  });

  it('quotes the provider, scrubbed of keys', () => {
    const err = fromUpstreamStatus(401, errorBody(401, 'Invalid key sk-or-v1-abcdef0123456789'));
    expect(err.message).toContain('The provider said');
    expect(err.message).not.toContain('sk-or-v1-abcdef');
  });

  it('429 carries a Retry-After for our response', () => {
    expect(fromUpstreamStatus(429, {}, 2500).headers['Retry-After']).toBe('3');
  });

  it('maps errors carried inside a 200 stream by their code', () => {
    expect(fromStreamError({ code: 502, message: 'Provider disconnected' }).code).toBe('upstream_unavailable');
    expect(fromStreamError({ code: 'server_error', message: 'x' }).code).toBe('upstream_unavailable');
    expect(fromStreamError({ code: 402, message: 'credits' }).code).toBe('insufficient_credits');
  });

  it('timeouts, unreachable hosts and an open breaker say what to do', () => {
    expect(timeoutError(30_000)).toMatchObject({ status: 504, code: 'upstream_timeout', message: expect.stringContaining('30 s') });
    expect(unreachableError({ cause: { code: 'ECONNREFUSED' } })).toMatchObject({
      status: 502,
      code: 'upstream_unreachable',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    const open = breakerOpenError(42_000);
    expect(open).toMatchObject({ status: 503, code: 'upstream_unavailable' });
    expect(open.headers['Retry-After']).toBe('42');
  });
});
