import { describe, expect, it } from 'vitest';
import { callSummary, meteredSummary, refundIfNothingHappened } from '../../../../server/core/accounting/call-summary.js';
import type { MeteredResult } from '../../../../server/core/accounting/metered-llm.js';
import type { CallResult } from '../../../../server/core/llm/llm-client.js';
import { AppError } from '../../../../server/core/errors/app-error.js';

const result: CallResult = {
  content: 'An answer.',
  model: 'openai/gpt-4o-mini-2024',
  requested_model: 'openai/gpt-4o-mini',
  finish_reason: 'stop',
  usage: { tokens_in: 12, tokens_out: 34, estimated: false },
  cost_usd: 0.0002,
  cost_source: 'upstream',
  latency_ms: 420,
  attempt_ms: 400,
  ttft_ms: 120,
  cached: false,
  retries: 1,
  error: null,
};

describe('callSummary', () => {
  it('keeps what a caller sees, drops internals (cost source, attempt time, retries)', () => {
    expect(callSummary(result)).toEqual({
      content: 'An answer.',
      model: 'openai/gpt-4o-mini-2024',
      requested_model: 'openai/gpt-4o-mini',
      finish_reason: 'stop',
      usage: { tokens_in: 12, tokens_out: 34, estimated: false },
      cost_usd: 0.0002,
      reserved_usd: 0,
      latency_ms: 420,
      ttft_ms: 120,
      cached: false,
      error: null,
    });
  });

  it('reports what was charged on a metered call, and what was reserved', () => {
    const s = callSummary({ ...result, charged_usd: 0.0005, reserved_usd: 0.01 });
    expect(s.cost_usd).toBe(0.0005);
    expect(s.reserved_usd).toBe(0.01);
  });

  it('falls back to the call’s own cost when nothing was charged (a cached or free answer)', () => {
    expect(callSummary({ ...result, cached: true, charged_usd: 0 }).cost_usd).toBe(0.0002);
    expect(callSummary({ ...result, cost_usd: null, charged_usd: 0 }).cost_usd).toBeNull();
  });

  it('carries a broken stream’s error', () => {
    const error = { code: 'stream_cut', message: 'The stream broke.' };
    expect(callSummary({ ...result, error }).error).toEqual(error);
  });
});

describe('meteredSummary', () => {
  it('waits until the charge is durable before summarising', async () => {
    let release!: () => void;
    const durable = new Promise<void>((r) => (release = r));
    const metered: MeteredResult = { ...result, charged_usd: 0.001, reserved_usd: 0.002, durable };
    let done = false;
    const summary = meteredSummary(metered).then((s) => ((done = true), s));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    release();
    expect(await summary).toMatchObject({ cost_usd: 0.001, reserved_usd: 0.002 });
    expect(done).toBe(true);
  });

  it('rejects when the charge could not be written', async () => {
    const durable = Promise.reject(new Error('disk full'));
    await expect(meteredSummary({ ...result, charged_usd: 0, reserved_usd: 0, durable })).rejects.toThrow('disk full');
  });
});

describe('refundIfNothingHappened', () => {
  it.each(['daily_budget_exhausted', 'budget_busy', 'request_too_costly', 'upstream_unavailable'])('refunds a call refused before the model (%s)', (code) => {
    let refunds = 0;
    refundIfNothingHappened(new AppError(429, code, 'refused'), () => refunds++);
    expect(refunds).toBe(1);
  });

  it.each([new AppError(502, 'upstream_error', 'the model failed'), new Error('boom'), { code: 'other' }, {}])(
    'keeps the quota used when the model may have run (%#)',
    (err) => {
      let refunds = 0;
      refundIfNothingHappened(err, () => refunds++);
      expect(refunds).toBe(0);
    },
  );
});
