import { describe, expect, it } from 'vitest';
import { maxCallCost } from '../../../../server/core/accounting/estimate.js';
import { maxCostUsd } from '../../../../server/core/accounting/pricing.js';
import { planCycles, researchSettingsSchema, type PlannedCall, type StepName } from '../../../../server/features/research/call-plan.js';
import { advocatePrompt, verdictPrompt } from '../../../../server/features/research/prompts/debate.js';
import { deepReviewPrompt } from '../../../../server/features/research/prompts/deep-review.js';
import { evolvePrompt } from '../../../../server/features/research/prompts/evolve.js';
import { generatePrompt } from '../../../../server/features/research/prompts/generate.js';
import { judgePrompt } from '../../../../server/features/research/prompts/judge.js';
import { metaReviewPrompt } from '../../../../server/features/research/prompts/meta-review.js';
import { overviewPrompt } from '../../../../server/features/research/prompts/overview.js';
import { reviewPrompt } from '../../../../server/features/research/prompts/review.js';
import { screenPrompt } from '../../../../server/features/research/prompts/screen.js';
import type { Hypothesis, Review, RunRecord } from '../../../../server/features/research/run-types.js';
import { excerptsBlock } from '../../../../server/features/research/prompts/parts.js';
import { queriesPrompt } from '../../../../server/features/research/prompts/queries.js';
import { BUDGET } from '../../../../server/features/research/call-plan.js';

// The largest inputs the API lets in: a 5,000-character goal of 4-byte characters, fields at their schema limits.
const CH = '\u{1F9EA}';
const goal = CH.repeat(5000);
const big = (n: number) => CH.repeat(n);
const review: Review = {
  id: 'r',
  cycle: 0,
  by: 'model',
  summary: big(800),
  references: [],
  novelty: { score: 5, reason: big(600) },
  feasibility: { score: 5, reason: big(600) },
  testability: { score: 5, reason: big(600) },
  safety: { flag: true, note: big(500) },
};
const scientistReview: Review = { ...review, id: 'rs', by: 'scientist' };
const hyp = (id: string): Hypothesis => ({
  id,
  cycle: 0,
  title: big(160),
  statement: big(1200),
  rationale: big(1200),
  test: big(1200),
  assumptions: Array(6).fill(big(300)),
  predictions: Array(6).fill(big(300)),
  falsification: big(600),
  citations: [1, 2, 3, 4, 5, 6, 7, 8],
  evidence: [],
  quotes_dropped: 0,
  prior_work: [],
  may_be_published: false,
  origin: 'generated',
  strategy: null,
  parents: [],
  elo: 1234.56,
  wins: 0,
  losses: 0,
  reviews: [review, scientistReview],
  pinned: false,
  dropped: false,
  duplicate_of: null,
  entered: true,
  deep_review: {
    cycle: 0,
    assumptions: Array.from({ length: 8 }, () => ({ assumption: big(400), reason: big(600), verdict: 'uncertain' as const, evidence: [] })),
    sink: big(600),
  },
  safety_cleared: false,
  refused: null,
});
const meta = { cycle: 0, strengths: Array(8).fill(big(400)), weaknesses: Array(8).fill(big(400)), advice: big(1500) };

const settings = researchSettingsSchema.parse({ hypotheses: 10, debate_turns: 6 });
// Literature on: every prompt carries its excerpts, prior work or cited titles at their largest.
const calls = planCycles(settings, 0, 2, 1, Buffer.byteLength(goal), undefined, { queries: 6, lookups: 60 }).flatMap((c) => c.calls);
const records: RunRecord[] = Array.from({ length: 40 }, (_, i) => ({
  n: i + 1,
  cycle: 0,
  id: `doi:10.1000/${i}`,
  source: 'openalex',
  title: big(300),
  authors: Array(20).fill(big(40)),
  year: 2020,
  venue: big(200),
  ids: { doi: `10.1000/${i}` },
  url: null,
  abstract: big(1500),
}));
const excerpts = (bytes: number) => excerptsBlock(records, bytes, 'Excerpts:').text;
const planned = (step: StepName): PlannedCall => calls.find((c) => c.step === step)!;
const price = { input: 1e-6, output: 1e-6 };

describe('research prompts stay within the plan', () => {
  const cases: Array<[StepName, ReturnType<typeof screenPrompt>]> = [
    ['screen', screenPrompt(goal)],
    [
      'generate',
      generatePrompt({
        goal,
        count: 10,
        metaReview: meta,
        notes: Array(10).fill(big(2000)),
        known: Array.from({ length: 12 }, (_, i) => hyp(`h${i}`)),
        excerpts: excerpts(BUDGET.excerpts),
        explored: Array(300).fill(big(160)),
        scientistReviews: Array(50).fill(big(1000)),
      }),
    ],
    ['queries', queriesPrompt({ goal, count: 6, metaReview: meta, notes: Array(10).fill(big(2000)), past: Array(100).fill(big(200)) })],
    ['review', reviewPrompt(goal, hyp('h1'), excerpts(BUDGET.prior_work))],
    ['match', judgePrompt(goal, hyp('h1'), hyp('h2'))],
    [
      'debate',
      advocatePrompt(
        goal,
        hyp('h1'),
        hyp('h2'),
        'B',
        Array.from({ length: 5 }, (_, i) => ({ speaker: i % 2 ? 'B' : 'A', text: big(3000) }) as const),
      ),
    ],
    [
      'debate',
      verdictPrompt(
        goal,
        hyp('h1'),
        hyp('h2'),
        Array.from({ length: 5 }, (_, i) => ({ speaker: i % 2 ? 'B' : 'A', text: big(3000) }) as const),
      ),
    ],
    ['evolve', evolvePrompt(goal, 'combine', hyp('h1'), [hyp('h2')], excerpts(BUDGET.excerpts))],
    ['evolve', evolvePrompt(goal, 'inspiration', hyp('h1'), [hyp('h2'), hyp('h3'), hyp('h4'), hyp('h5')], excerpts(BUDGET.excerpts))],
    ['meta_review', metaReviewPrompt(goal, Array(200).fill(big(800)))],
    ['deep_review', deepReviewPrompt(goal, hyp('h1'), excerpts(BUDGET.prior_work))],
    [
      'overview',
      overviewPrompt(
        goal,
        Array.from({ length: 15 }, (_, i) => hyp(`h_${i}`)),
        meta,
        records,
        Array.from({ length: 60 }, (_, i) => ({
          id: `m${i}`,
          cycle: 0,
          a: `h_${i % 15}`,
          b: `h_${(i + 1) % 15}`,
          winner: `h_${i % 15}`,
          reason: big(800),
          elo_before: { a: 1200, b: 1200 },
          elo_delta: 16,
          debate: null,
        })),
      ),
    ],
  ];

  it.each(cases.map(([step, messages], i) => [`${step} #${i}`, step, messages] as const))(
    '%s: the largest prompt reserves no more than its planned call',
    (_label, step, messages) => {
      const call = planned(step);
      expect(messages).toHaveLength(call.messages);
      expect(maxCostUsd(price, messages, call.max_tokens)).toBeLessThanOrEqual(maxCallCost(call, price)!);
    },
  );
});
