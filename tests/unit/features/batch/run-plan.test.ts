import { describe, expect, it } from 'vitest';
import { parsePrice } from '../../../../server/core/accounting/pricing.js';
import { maxCallCost } from '../../../../server/core/accounting/estimate.js';
import { JUDGE_MAX_PROMPT_BYTES, judgeRequest, readVerdict } from '../../../../server/features/batch/judge.js';
import { estimateBatch, promptShape, resolveSuites, runTasks } from '../../../../server/features/batch/run-plan.js';

const endpoint = (model: string) => ({ session_id: `bs_${model}`, label: null, base_url: 'https://api.example.com/v1', model });

describe('batch run plan', () => {
  it('orders slots prompt by prompt with the endpoints side by side, each suite once', () => {
    const suites = resolveSuites(['code-easy', 'factual-easy', 'code-easy'], null);
    const tasks = runTasks(suites, 2);
    expect(tasks).toHaveLength(40);
    expect(tasks.slice(0, 3).map((t) => t.slot)).toEqual(['0/code-easy/code-easy-01', '1/code-easy/code-easy-01', '0/code-easy/code-easy-02']);
    expect(new Set(tasks.map((t) => t.slot)).size).toBe(40);
  });

  it('refuses an unknown suite id', () => {
    expect(() => resolveSuites(['nope'], null)).toThrow(/There is no suite "nope"/);
  });

  it('estimates the worst case with the pricing code that reserves, judge calls on the judging endpoint', () => {
    const suites = resolveSuites(['support-medium'], null);
    const price = parsePrice('0.000001', '0.000002')!;
    const priceOf = (m: string) => (m === 'known/model' ? price : null);
    const judged = suites[0]!.prompts.filter((p) => p.check?.type === 'judge').length;
    expect(judged).toBeGreaterThan(0);
    const est = estimateBatch(suites, [endpoint('known/model'), endpoint('other/model')], { endpoint: 0, model: 'known/model' }, priceOf);
    expect(est).toMatchObject({ prompts: 10, total: 20, max_usd: null });
    expect(est.endpoints[0]).toMatchObject({ calls: 10 + 2 * judged, judge_calls: 2 * judged });
    expect(est.endpoints[1]).toMatchObject({ calls: 10, judge_calls: 0, max_usd: null });
    const own = suites[0]!.prompts.reduce((a, p) => a + maxCallCost(promptShape(p), price)!, 0);
    const judge = 2 * judged * maxCallCost({ prompt_bytes: JUDGE_MAX_PROMPT_BYTES, messages: 2, max_tokens: 200 }, price)!;
    expect(est.endpoints[0]!.max_usd).toBeCloseTo(own + judge, 8);
    const solo = estimateBatch(suites, [endpoint('known/model')], null, priceOf);
    expect(solo.max_usd).toBeCloseTo(own, 8);
  });

  it('a judge prompt stays within the bytes the estimate prices, whatever the answer', () => {
    const req = judgeRequest('p'.repeat(50_000), 'a'.repeat(50_000), 'r'.repeat(5000));
    const bytes = req.messages.reduce((a, m) => a + Buffer.byteLength(m.content, 'utf8'), 0);
    expect(bytes).toBeLessThanOrEqual(JUDGE_MAX_PROMPT_BYTES);
  });

  it('reads a judge verdict from JSON (fences tolerated), or nothing', () => {
    expect(readVerdict('```json\n{"score": 4, "reason": "polite"}\n```')).toEqual({ score: 4, reason: 'polite' });
    expect(readVerdict('{"score": "5"}')).toEqual({ score: 5, reason: '' });
    expect(readVerdict('{"score": 9}')).toBeNull();
    expect(readVerdict('I would say 4')).toBeNull();
  });
});
