import { describe, expect, it } from 'vitest';
import { maxCallCost, maxCostOf } from '../../../../server/core/accounting/estimate.js';
import { maxCostUsd, maxPrice } from '../../../../server/core/accounting/pricing.js';
import { planCycles, repairCall, researchSettingsSchema } from '../../../../server/features/research/call-plan.js';
import { estimateResearch } from '../../../../server/features/research/estimate.js';
import { REPAIR_BUDGET, cutUtf8 } from '../../../../server/core/llm/structured.js';

const defaults = researchSettingsSchema.parse({});
const price = { input: 0.15e-6, output: 0.6e-6 };
const count = (calls: { step: string }[]) => calls.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.step]: (acc[c.step] ?? 0) + 1 }), {});

describe('research call plan', () => {
  it('plans one default cycle call by call', () => {
    const [cycle] = planCycles(defaults, 0, 1, 0);
    // 3 new hypotheses, each meets the others once (3 pairs), the top pair debates over 3 turns.
    expect(cycle).toMatchObject({ entrants: 3, pool: 3, matches: 3, debates: 1 });
    expect(count(cycle!.calls)).toEqual({ screen: 1, generate: 1, review: 3, match: 2, debate: 3, deep_review: 2, evolve: 2, meta_review: 1, overview: 1 });
  });

  it('lets the previous cycle\u2019s children enter the next tournament, and writes the overview only at the end', () => {
    const plans = planCycles(defaults, 0, 2, 1);
    expect(count(plans[0]!.calls).overview).toBeUndefined();
    expect(plans[1]).toMatchObject({ entrants: 5, pool: 8, matches: 10, debates: 1 });
    expect(count(plans[1]!.calls)).toEqual({ generate: 1, review: 5, match: 9, debate: 3, deep_review: 2, evolve: 2, meta_review: 1, overview: 1 });
    // Planning cycle 1 on its own (a "next cycle" request) gives the same calls.
    expect(planCycles(defaults, 1, 1, 1)[0]).toEqual(plans[1]);
  });

  it('counts one possible JSON repair per JSON call in the worst case', () => {
    const e = estimateResearch(defaults, price);
    expect(e.calls).toBe(16);
    expect(e.calls_max).toBe(16 + 14); // every call answers JSON but the two debate turns before the verdict
    expect(e.by_step.review).toMatchObject({ calls: 3, repairs_max: 3 });
  });

  it('prices the plan with the same bound a reservation uses at run time', () => {
    const e = estimateResearch(defaults, price);
    const calls = planCycles(defaults, 0, 1, 0)[0]!.calls;
    const all = [...calls, ...calls.filter((c) => c.json).map(repairCall)];
    expect(e.max_usd).toBe(maxCostOf(all, price));
    // A real prompt built within the call's byte budget reserves at most what the plan priced.
    const call = calls.find((c) => c.step === 'match')!;
    const half = 'x'.repeat(call.prompt_bytes / 2);
    expect(maxCostUsd(price, [{ content: half }, { content: half }], call.max_tokens)).toBeLessThanOrEqual(maxCallCost(call, price)!);
    expect(e.per_cycle[0]!.max_usd).toBe(e.max_usd);
  });

  it('prices a JSON repair as chatJson sends it: the prompt again, the answer and the correction, cut to their budgets', () => {
    const call = planCycles(defaults, 0, 1, 0)[0]!.calls.find((c) => c.step === 'review')!;
    const half = 'x'.repeat(call.prompt_bytes / 2);
    const brokenAnswer = cutUtf8('\u{1F9EA}'.repeat(10_000), REPAIR_BUDGET.answerBytes); // 4-byte characters, never split
    const correction = cutUtf8(`That reply could not be used: ${'problem '.repeat(500)}`, REPAIR_BUDGET.correctionBytes);
    expect(Buffer.byteLength(brokenAnswer)).toBeLessThanOrEqual(REPAIR_BUDGET.answerBytes);
    expect(brokenAnswer.endsWith('\u{1F9EA}')).toBe(true);
    const sent = [{ content: half }, { content: half }, { content: brokenAnswer }, { content: correction }];
    expect(maxCostUsd(price, sent, call.max_tokens)).toBeLessThanOrEqual(maxCallCost(repairCall(call), price)!);
  });

  it('is free on a free model, and unknown without a price', () => {
    expect(estimateResearch(defaults, { input: 0, output: 0 }).max_usd).toBe(0);
    expect(estimateResearch(defaults, null).max_usd).toBeNull();
  });

  it('bounds a call that may fall back by the dearest price in each direction', () => {
    expect(maxPrice([price, { input: 1e-6, output: 0.1e-6 }])).toEqual({ input: 1e-6, output: 0.6e-6 });
    expect(maxPrice([price, null])).toBeNull();
  });

  it('grows with debate turns and without debates', () => {
    const noDebate = estimateResearch(researchSettingsSchema.parse({ debate: false }), price);
    expect(noDebate.by_step.debate).toBeUndefined();
    expect(noDebate.by_step.match!.calls).toBe(3);
    const long = estimateResearch(researchSettingsSchema.parse({ debate_turns: 5 }), price);
    expect(long.by_step.debate!.calls).toBe(5);
  });
});
