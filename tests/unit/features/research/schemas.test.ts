import { describe, expect, it } from 'vitest';
import { validate } from '../../../../server/core/llm/structured.js';
import {
  evolveAnswer,
  generateAnswer,
  metaReviewAnswer,
  overviewAnswer,
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

const draft = { title: 'Kefir and sleep', statement: 'Kefir shortens sleep onset.', rationale: 'Gut-brain axis.', test: 'A crossover trial.' };
const score = { score: 4, reason: 'ok' };

describe('research step answers', () => {
  it('parses good answers, including fenced JSON with prose around it', () => {
    expect(validate('Sure!\n```json\n{"allowed": true, "reason": "fine"}\n```', screenAnswer)).toMatchObject({ ok: true });
    expect(validate(JSON.stringify({ hypotheses: [draft, draft] }), generateAnswer([]))).toMatchObject({ ok: true });
    expect(
      validate(JSON.stringify({ novelty: score, feasibility: score, testability: score, safety: { flag: false }, summary: 's' }), reviewAnswer),
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
      [generatePrompt({ goal, count: 3, metaReview: undefined, notes: [], known: [], excerpts: '' }), generateAnswer([])],
      [reviewPrompt(goal, h), reviewAnswer],
      [judgePrompt(goal, h, h), verdictAnswer],
      [verdictPrompt(goal, h, h, []), verdictAnswer],
      [evolvePrompt(goal, 'simplify', h, undefined), evolveAnswer([])],
      [metaReviewPrompt(goal, ['a review']), metaReviewAnswer],
      [overviewPrompt(goal, [h], undefined), overviewAnswer],
    ] as const;
    for (const [messages, schema] of cases) expect(validate(simulatedAnswer(messages, next), schema as never)).toMatchObject({ ok: true });
    expect(
      JSON.parse(simulatedAnswer(generatePrompt({ goal, count: 3, metaReview: undefined, notes: [], known: [], excerpts: '' }), next)).hypotheses,
    ).toHaveLength(3);
  });
});
