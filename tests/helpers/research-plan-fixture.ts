/**
 * A finished research run with a research plan, for the page's plan tests: the literature run
 * (research-literature-fixture.ts) with a plan, a leader's deep review (one assumption of each
 * verdict, citing records) and a model review that scores plausibility.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyState } from '../../server/app-state.js';
import { STATE_FILE } from '../../server/core/store/store.js';
import type { DeepReview, ResearchPlan, ResearchRun } from '../../server/features/research/run-types.js';
import { literatureRun } from './research-literature-fixture.js';

export const PLAN_RUN_ID = 'run_planFixture00000001';
export const LEADER_ID = 'h_diversity';
const AT = Date.parse('2026-03-02T09:00:00Z');

export const PLAN: ResearchPlan = {
  objective: 'Find out whether and how the gut microbiome changes sleep quality in healthy adults.',
  preferences: ['Mechanisms over correlations', 'Human data where it exists'],
  constraints: ['No invasive procedures', 'A study under 12 months'],
  attributes: ['A named mechanism', 'A measurable sleep outcome'],
  domain: 'Microbiology and sleep medicine',
};

export const DEEP_REVIEW: DeepReview = {
  cycle: 1,
  assumptions: [
    { assumption: 'Diversity can be measured from stool', verdict: 'supported', reason: 'Sequencing stool is routine [1].', evidence: [1] },
    { assumption: 'Butyrate reaches vagal afferents in humans', verdict: 'uncertain', reason: 'Shown in mice only [2].', evidence: [2] },
    { assumption: 'Sleep diaries track slow-wave sleep', verdict: 'invalidating', reason: 'Diaries cannot see sleep stages.', evidence: [] },
  ],
  sink: 'A cohort where diversity rises and slow-wave sleep does not.',
};
export const PLAUSIBILITY = { score: 2, reason: 'Vagal signalling in humans is unproven.' };

export function planRun(): ResearchRun {
  const base = literatureRun();
  return {
    ...base,
    id: PLAN_RUN_ID,
    plan: PLAN,
    hypotheses: base.hypotheses.map((h) =>
      h.id === LEADER_ID ? { ...h, deep_review: DEEP_REVIEW, reviews: h.reviews.map((r) => ({ ...r, plausibility: PLAUSIBILITY })) } : h,
    ),
  };
}

/** Writes a state.json holding the run into `dataDir`, as the app's store reads it at start-up. */
export async function writePlanState(dataDir: string): Promise<void> {
  const state = { ...emptyState(new Date(AT)), research_runs: { [PLAN_RUN_ID]: planRun() } };
  await writeFile(join(dataDir, STATE_FILE), JSON.stringify(state));
}
