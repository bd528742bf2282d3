import { describe, expect, it } from 'vitest';
import { literatureFields } from '../../../../server/features/research/run-migrations.js';

/** A run as Labcoat 7 wrote it: no literature, references never checked. */
const v7Run = () => ({
  id: 'run_1',
  settings: { hypotheses: 3 } as Record<string, unknown>,
  cycles: [{ index: 0, plan: { calls: 10, calls_max: 20, max_usd: 0.01 }, calls: 10 }],
  hypotheses: [
    {
      id: 'h_1',
      title: 'T',
      reviews: [{ id: 'r_1', references: [{ citation: 'Smith et al. 2020', relevance: 'related' }] }],
    },
  ],
  overview: { cycle: 0, summary: 's', ranked: [], experiments: [], open_questions: [] },
});

describe('the v8 migration of research runs', () => {
  it('gives old runs no literature, and marks the references they showed unverifiable (they were never checked)', () => {
    const state = literatureFields({ research_runs: { run_1: v7Run() } }) as any;
    const run = state.research_runs.run_1;
    expect(run.literature).toBeNull();
    expect(run.settings).toEqual({ hypotheses: 3, reasoning: 'off' });
    expect(run.cycles[0]).toMatchObject({ lookups: 0, plan: { lookups_max: 0 } });
    expect(run.hypotheses[0]).toMatchObject({
      title: 'T',
      assumptions: [],
      predictions: [],
      falsification: '',
      citations: [],
      evidence: [],
      quotes_dropped: 0,
      prior_work: [],
      may_be_published: false,
    });
    expect(run.hypotheses[0].reviews[0].references).toEqual([
      { citation: 'Smith et al. 2020', relevance: 'related', status: 'unverifiable', via: null, record: null },
    ]);
    expect(run.overview).toMatchObject({ references: [], contacts: [] });
  });

  it('keeps what a run already has, and leaves a document without runs as it was', () => {
    const run = { ...v7Run(), literature: { records: [] }, overview: null };
    run.hypotheses[0] = { ...run.hypotheses[0]!, citations: [3] } as never;
    const state = literatureFields({ research_runs: { run_1: run } }) as any;
    expect(state.research_runs.run_1.literature).toEqual({ records: [] });
    expect(state.research_runs.run_1.hypotheses[0].citations).toEqual([3]);
    expect(state.research_runs.run_1.overview).toBeNull();
    expect(literatureFields({ other: 1 })).toEqual({ other: 1 });
  });
});
