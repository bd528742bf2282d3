import { maxCostOf } from '../../core/accounting/estimate.js';
import { roundUsd, type Price } from '../../core/accounting/pricing.js';
import { type LiteraturePlan, planCycles, repairCall, type PlanStart, type PlannedCall, type ResearchSettings, type StepName } from './call-plan.js';

export interface StepEstimate {
  calls: number;
  /** JSON repairs the step may add at most (one per JSON call). */
  repairs_max: number;
  max_usd: number | null;
}

export interface ResearchEstimate {
  cycles: number;
  /** Calls the run makes when every answer parses. */
  calls: number;
  /** Calls at most, JSON repairs included: the run never makes more. */
  calls_max: number;
  max_usd: number | null;
  /** Literature requests at most over these cycles (not model calls; 0 with literature off). */
  lookups_max: number;
  per_cycle: Array<{ cycle: number; calls: number; calls_max: number; max_usd: number | null; lookups_max: number }>;
  by_step: Partial<Record<StepName, StepEstimate>>;
}

/** Calls and worst-case USD for cycles [from, from + count) of a run, from the plan and the one pricing code. */
export function estimateResearch(
  settings: ResearchSettings,
  price: Price | null,
  opts: { from?: number; count?: number; goalBytes?: number | undefined; start?: PlanStart; literature?: LiteraturePlan | null } = {},
): ResearchEstimate {
  const from = opts.from ?? 0;
  const count = opts.count ?? settings.cycles;
  const plans = planCycles(settings, from, count, from + count - 1, opts.goalBytes, opts.start, opts.literature ?? null);
  const withRepairs = (calls: PlannedCall[]) => [...calls, ...calls.filter((c) => c.json).map(repairCall)];
  const all = plans.flatMap((p) => p.calls);
  const by_step: Partial<Record<StepName, StepEstimate>> = {};
  for (const step of new Set(all.map((c) => c.step))) {
    const calls = all.filter((c) => c.step === step);
    by_step[step] = { calls: calls.length, repairs_max: calls.filter((c) => c.json).length, max_usd: maxCostOf(withRepairs(calls), price) };
  }
  const per_cycle = plans.map((p) => ({
    cycle: p.cycle,
    calls: p.calls.length,
    calls_max: withRepairs(p.calls).length,
    max_usd: maxCostOf(withRepairs(p.calls), price),
    lookups_max: p.lookups_max,
  }));
  return {
    cycles: count,
    calls: all.length,
    calls_max: withRepairs(all).length,
    max_usd: price === null ? null : roundUsd(per_cycle.reduce((sum, c) => sum + (c.max_usd ?? 0), 0)),
    lookups_max: per_cycle.reduce((sum, c) => sum + c.lookups_max, 0),
    per_cycle,
    by_step,
  };
}
