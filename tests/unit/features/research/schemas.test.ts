import { describe, expect, it } from 'vitest';
import { validate } from '../../../../server/core/llm/structured.js';
import {
  evolveAnswer,
  generateAnswer,
  metaReviewAnswer,
  overviewAnswer,
  queriesAnswer,
  reviewAnswer,
  screenAnswer,
  verdictAnswer,
} from '../../../../server/features/research/schemas.js';
import { simulatedAnswer } from '../../../../server/demo/simulated-model.js';
import { screenPrompt } from '../../../../server/features/research/prompts/screen.js';
import { generatePrompt } from '../../../../server/features/research/prompts/generate.js';
import { reviewPrompt } from '../../../../server/features/research/prompts/review.js';
import { judgePrompt } from '../../../../server/features/research/prompts/judge.js';
import { verdictPrompt } from '../../../../server/features/research/prompts/debate.js';
import { evolvePrompt } from '../../../../server/features/research/prompts/evolve.js';
import { metaReviewPrompt } from '../../../../server/features/research/prompts/meta-review.js';
import { overviewPrompt } from '../../../../server/features/research/prompts/overview.js';
import { newHypothesis } from '../../../../server/features/research/new-hypothesis.js';
import { queriesPrompt } from '../../../../server/features/research/prompts/queries.js';
import { excerptsBlock } from '../../../../server/features/research/prompts/parts.js';
import { EXCERPTS_HEADING } from '../../../../server/features/research/steps/generate.js';
import { PRIOR_WORK_HEADING } from '../../../../server/features/research/steps/review.js';
import { checkEvidence } from '../../../../server/features/research/grounding.js';
import { checkReference } from '../../../../server/features/research/cycle-literature.js';
import type { RunRecord } from '../../../../server/features/research/run-types.js';
import { SIMULATED_CORPUS, simulatedAbstract, simulatedDoi } from '../../../../server/demo/simulated-literature.js';

const draft = { title: 'Kefir and sleep', statement: 'Kefir shortens sleep onset.', rationale: 'Gut-brain axis.', test: 'A crossover trial.' };
const score = { score: 4, reason: 'ok' };

describe('research step answers', () => {
  it('parses good answers, including fenced JSON with prose around it', () => {
    expect(validate('Sure!\n```json\n{"allowed": true, "reason": "fine"}\n```', screenAnswer)).toMatchObject({ ok: true });
    expect(validate(JSON.stringify({ hypotheses: [draft, draft] }), generateAnswer([]))).toMatchObject({ ok: true });
    expect(
      validate(
        JSON.stringify({ novelty: score, feasibility: score, testability: score, plausibility: score, safety: { flag: false }, summary: 's' }),
        reviewAnswer,
      ),
    ).toMatchObject({ ok: true, data: { references: [], safety: { note: '' } } });
    expect(validate('{"winner": "B", "reason": "clearer"}', verdictAnswer)).toMatchObject({ ok: true });
    expect(validate(JSON.stringify({ hypothesis: draft, change: 'simpler' }), evolveAnswer([]))).toMatchObject({ ok: true });
    expect(validate(JSON.stringify({ strengths: [], weaknesses: ['cost'], advice: 'cheaper tests' }), metaReviewAnswer)).toMatchObject({ ok: true });
    expect(validate(JSON.stringify({ summary: 's', ranked: [{ id: 'h_1', why: 'won' }], experiments: [], open_questions: [] }), overviewAnswer)).toMatchObject({
      ok: true,
    });
  });

  it('names what is wrong with a bad answer (what the one repair call shows the model)', () => {
    const bad = validate(
      JSON.stringify({ novelty: { score: 6, reason: 'x' }, feasibility: score, testability: score, safety: { flag: false }, summary: 's' }),
      reviewAnswer,
    );
    expect(bad).toMatchObject({ ok: false });
    expect((bad as { problem: string }).problem).toContain('novelty.score');
    expect(validate('{"winner": "C", "reason": "?"}', verdictAnswer)).toMatchObject({ ok: false });
    expect(validate(JSON.stringify({ hypotheses: [] }), generateAnswer([]))).toMatchObject({ ok: false });
    expect(validate(JSON.stringify({ hypotheses: [{ ...draft, title: '' }] }), generateAnswer([]))).toMatchObject({ ok: false });
    expect(validate('no json here', screenAnswer)).toEqual({ ok: false, problem: 'it contains no JSON object or array' });
  });

  it('the simulated model (npm run demo) answers every step in a shape the engine accepts', () => {
    let n = 0;
    const next = () => n++;
    const goal = 'Why do some people sleep better after eating fermented food?';
    const h = newHypothesis('h_1', 0, draft, 'generated');
    const cases = [
      [screenPrompt(goal), screenAnswer],
      [generatePrompt({ goal, count: 3, metaReview: undefined, notes: [], known: [], excerpts: '', explored: [], scientistReviews: [] }), generateAnswer([])],
      [reviewPrompt(goal, h), reviewAnswer],
      [judgePrompt(goal, h, h), verdictAnswer],
      [verdictPrompt(goal, h, h, []), verdictAnswer],
      [evolvePrompt(goal, 'simplify', h, []), evolveAnswer([])],
      [metaReviewPrompt(goal, ['a review']), metaReviewAnswer],
      [overviewPrompt(goal, [h], undefined), overviewAnswer],
    ] as const;
    for (const [messages, schema] of cases) expect(validate(simulatedAnswer(messages, next), schema as never)).toMatchObject({ ok: true });
    expect(
      JSON.parse(
        simulatedAnswer(
          generatePrompt({ goal, count: 3, metaReview: undefined, notes: [], known: [], excerpts: '', explored: [], scientistReviews: [] }),
          next,
        ),
      ).hypotheses,
    ).toHaveLength(3);
  });

  it('the simulated model cites only the excerpts given, quotes their abstracts word for word, and names one invented reference per review', async () => {
    let n = 0;
    const next = () => n++;
    const goal = 'Why do some people sleep better after eating fermented food?';
    // The run's records as the simulated source gives them; the prompt shows numbers 3 to 8 only.
    const records: RunRecord[] = SIMULATED_CORPUS.slice(0, 10).map((r, i) => ({
      id: `doi:${simulatedDoi(r)}`,
      source: 'openalex',
      title: r.title,
      authors: r.authors,
      year: r.year,
      venue: r.venue,
      ids: { doi: simulatedDoi(r) },
      url: `https://doi.org/${simulatedDoi(r)}`,
      abstract: simulatedAbstract(r),
      n: i + 1,
      cycle: 0,
    }));
    const excerpts = excerptsBlock(records.slice(2, 8), 9000, EXCERPTS_HEADING);
    expect(excerpts.given).toEqual([3, 4, 5, 6, 7, 8]);
    const grounded = (d: {
      citations: number[];
      evidence: Array<{ n: number; quote: string }>;
      assumptions: string[];
      predictions: string[];
      falsification: string;
    }) => {
      expect(d.citations.length).toBeGreaterThan(0);
      for (const c of d.citations) expect(excerpts.given).toContain(c);
      expect(d.evidence.length).toBeGreaterThan(0);
      for (const e of d.evidence) expect(records[e.n - 1]!.abstract).toContain(e.quote);
      expect(checkEvidence(d.evidence, records).dropped).toBe(0);
      expect(d.assumptions.length && d.predictions.length && d.falsification.length).toBeGreaterThan(0);
    };

    const queries = validate(simulatedAnswer(queriesPrompt({ goal, count: 3, metaReview: undefined, notes: [], past: [] }), next), queriesAnswer);
    expect(queries).toMatchObject({ ok: true });
    const asked = (queries as { data: { queries: string[] } }).data.queries;
    expect(new Set(asked).size).toBe(3);
    expect(asked.join(' ')).toMatch(/sleep|fermented|people|eating/);

    const generated = validate(
      simulatedAnswer(
        generatePrompt({ goal, count: 3, metaReview: undefined, notes: [], known: [], excerpts: excerpts.text, explored: [], scientistReviews: [] }),
        next,
      ),
      generateAnswer(excerpts.given),
    );
    expect(generated).toMatchObject({ ok: true });
    const drafts = (generated as { data: { hypotheses: Parameters<typeof grounded>[0][] } }).data.hypotheses;
    expect(drafts).toHaveLength(3);
    for (const d of drafts) grounded(d);

    const h = newHypothesis('h_1', 0, { ...draft, citations: [4, 6] }, 'generated');
    const evolved = validate(simulatedAnswer(evolvePrompt(goal, 'ground', h, [], excerpts.text), next), evolveAnswer(excerpts.given));
    expect(evolved).toMatchObject({ ok: true });
    grounded((evolved as { data: { hypothesis: Parameters<typeof grounded>[0] } }).data.hypothesis);

    const prior = excerptsBlock([records[5]!, records[1]!], 5400, PRIOR_WORK_HEADING);
    const reviewed = validate(simulatedAnswer(reviewPrompt(goal, h, prior.text), next), reviewAnswer);
    expect(reviewed).toMatchObject({ ok: true });
    const refs = (reviewed as { data: { references: Array<{ citation: string; relevance: string }> } }).data.references;
    expect(refs).toHaveLength(2);
    expect(refs[0]!.citation).toMatch(/^\[(6|2)\] /);
    expect(refs[1]!.citation).toMatch(/doi:10\.5555\/labcoat-sim\.invented-\d+$/);

    const overview = validate(simulatedAnswer(overviewPrompt(goal, [h], undefined, records), next), overviewAnswer);
    expect(overview).toMatchObject({ ok: true });
    const overviewRefs = (overview as { data: { references: Array<{ citation: string; relevance: string }> } }).data.references;
    expect(overviewRefs.map((r) => r.citation.slice(0, 4))).toEqual(['[4] ', '[6] ', 'Inve']);
    expect(overviewRefs.at(-1)!.citation).toContain('10.5555/labcoat-sim.invented-');
    expect(await checkReference(refs[0]!, records, null)).toMatchObject({ status: 'verified', via: 'excerpt' });
  });

  it('the simulated model cites nothing and names no invented reference when no excerpts are given (literature off)', () => {
    let n = 0;
    const next = () => n++;
    const goal = 'Why do some people sleep better after eating fermented food?';
    const answer = JSON.parse(
      simulatedAnswer(generatePrompt({ goal, count: 2, metaReview: undefined, notes: [], known: [], excerpts: '', explored: [], scientistReviews: [] }), next),
    );
    for (const d of answer.hypotheses) expect(d).toMatchObject({ citations: [], evidence: [] });
    const h = newHypothesis('h_1', 0, draft, 'generated');
    expect(JSON.parse(simulatedAnswer(reviewPrompt(goal, h), next)).references).toEqual([
      { citation: 'Simulated reference (not a real paper)', relevance: 'placeholder' },
    ]);
    expect(JSON.parse(simulatedAnswer(overviewPrompt(goal, [h], undefined), next)).references).toEqual([]);
  });
});
