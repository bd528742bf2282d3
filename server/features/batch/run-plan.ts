/**
 * What a batch run will do, known before it starts: every (endpoint, prompt) slot in run order,
 * and the estimate (calls, output tokens, and the worst-case USD where the catalog knows the
 * model's price, from the same pricing code that meters the Space's own calls).
 */
import { maxCostOf, type CallShape } from '../../core/accounting/estimate.js';
import type { Price } from '../../core/accounting/pricing.js';
import { AppError } from '../../core/errors/app-error.js';
import { curatedSuite, CURATED_SUITE_IDS } from './curated-suites.js';
import { JUDGE_BUDGET, JUDGE_MAX_PROMPT_BYTES } from './judge.js';
import { slotKey, type JudgeChoice, type RunEndpoint } from './run-types.js';
import type { Suite, SuitePrompt } from './suite-schema.js';

export interface Task {
  slot: string;
  endpoint: number;
  suite: Suite;
  prompt: SuitePrompt;
}

/** The suites of a new run, curated ones first in the order asked (each once), the uploaded one last. */
export function resolveSuites(suiteIds: readonly string[], custom: Suite | null): Suite[] {
  const curated = [...new Set(suiteIds)].map((id) => {
    const suite = curatedSuite(id);
    if (!suite) throw new AppError(400, 'unknown_suite', `There is no suite "${id}". Pick from ${CURATED_SUITE_IDS.join(', ')}.`);
    return suite;
  });
  return custom ? [...curated, custom] : curated;
}

/** Every slot, prompt by prompt with the endpoints side by side, so a compare run fills both columns together. */
export function runTasks(suites: readonly Suite[], endpoints: number): Task[] {
  const tasks: Task[] = [];
  for (const suite of suites) {
    for (const prompt of suite.prompts) {
      for (let e = 0; e < endpoints; e++) tasks.push({ slot: slotKey(e, suite.id, prompt.id), endpoint: e, suite, prompt });
    }
  }
  return tasks;
}

export interface EndpointEstimate {
  endpoint: number;
  model: string;
  calls: number;
  judge_calls: number;
  max_output_tokens: number;
  /** Worst case at the catalog's price for this model id; null when the catalog does not know it. */
  max_usd: number | null;
}

export interface BatchEstimate {
  prompts: number;
  total: number;
  endpoints: EndpointEstimate[];
  /** Sum over endpoints; null when any price is unknown. */
  max_usd: number | null;
  note: string;
}

export function promptShape(p: SuitePrompt): CallShape {
  return {
    prompt_bytes: Buffer.byteLength(p.prompt, 'utf8') + (p.system ? Buffer.byteLength(p.system, 'utf8') : 0),
    messages: p.system ? 2 : 1,
    max_tokens: p.max_tokens,
  };
}

const JUDGE_SHAPE: CallShape = { prompt_bytes: JUDGE_MAX_PROMPT_BYTES, messages: JUDGE_BUDGET.messages, max_tokens: JUDGE_BUDGET.maxTokens };

export function estimateBatch(
  suites: readonly Suite[],
  endpoints: readonly RunEndpoint[],
  judge: JudgeChoice | null,
  priceOf: (model: string) => Price | null,
): BatchEstimate {
  const prompts = suites.flatMap((s) => s.prompts);
  const judged = judge ? prompts.filter((p) => p.check?.type === 'judge').length : 0;
  const per = endpoints.map((ep, i): EndpointEstimate => {
    const calls: CallShape[] = prompts.map(promptShape);
    // The judge grades every endpoint's answers, on the endpoint it runs on.
    const judgeCalls = judge?.endpoint === i ? judged * endpoints.length : 0;
    const price = priceOf(ep.model);
    const judgePrice = judge?.endpoint === i ? priceOf(judge.model) : null;
    const own = maxCostOf(calls, price);
    const judging =
      judgeCalls === 0
        ? 0
        : maxCostOf(
            Array.from({ length: judgeCalls }, () => JUDGE_SHAPE),
            judgePrice,
          );
    return {
      endpoint: i,
      model: ep.model,
      calls: calls.length + judgeCalls,
      judge_calls: judgeCalls,
      max_output_tokens: calls.reduce((a, c) => a + c.max_tokens, 0) + judgeCalls * JUDGE_BUDGET.maxTokens,
      max_usd: own === null || judging === null ? null : round8(own + judging),
    };
  });
  const known = per.every((e) => e.max_usd !== null);
  return {
    prompts: prompts.length,
    total: prompts.length * endpoints.length,
    endpoints: per,
    max_usd: known ? round8(per.reduce((a, e) => a + e.max_usd!, 0)) : null,
    note: 'Your own key pays: the Space\u2019s budget is not used. The worst case counts every answer at its max_tokens; it is shown where the model catalog knows the model\u2019s price.',
  };
}

const round8 = (x: number) => Math.round(x * 1e8) / 1e8;
