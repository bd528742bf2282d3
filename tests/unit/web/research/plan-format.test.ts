/** The research plan and a deep review as the page reads and edits them (web/research/plan-format.js). */
import { describe, expect, it } from 'vitest';
import type { ResearchPlan } from '../../../../shared/research-types.js';
import { linesOf, listProblem, PLAN_LIMITS, planBody, planDraft, verdictCounts, VERDICTS } from '../../../../web/research/plan-format.js';

const PLAN: ResearchPlan = {
  objective: 'Find out how the gut microbiome changes sleep.',
  preferences: ['Mechanisms over correlations', 'Human data'],
  constraints: [],
  attributes: ['A named mechanism'],
  domain: 'Sleep medicine',
};

describe('the research plan’s editor', () => {
  it('edits a plan as one item a line, and a draft left alone sends the plan back unchanged', () => {
    const draft = planDraft(PLAN);
    expect(draft).toEqual({
      objective: PLAN.objective,
      domain: PLAN.domain,
      preferences: 'Mechanisms over correlations\nHuman data',
      constraints: '',
      attributes: 'A named mechanism',
    });
    expect(planBody(draft)).toEqual(PLAN);
    // No plan yet: an empty form.
    expect(planDraft(null)).toEqual({ objective: '', domain: '', preferences: '', constraints: '', attributes: '' });
  });

  it('trims what is typed and leaves blank lines out, and leaves judging an empty objective to the server', () => {
    expect(linesOf('  a \n\n\t\nb\r\n  ')).toEqual(['a', 'b']);
    expect(planBody({ objective: '   ', domain: ' Chronobiology ', preferences: ' x \n\n y\n', constraints: '\n', attributes: '' })).toEqual({
      objective: '',
      domain: 'Chronobiology',
      preferences: ['x', 'y'],
      constraints: [],
      attributes: [],
    });
  });

  it('says what a list breaks of the server’s limits: more than 6 lines, or a line over 300 characters', () => {
    expect(PLAN_LIMITS).toEqual({ objective: 600, domain: 120, items: 6, item: 300 });
    expect(listProblem('')).toBeNull();
    expect(listProblem('a\nb\nc\nd\ne\nf\n\n')).toBeNull();
    expect(listProblem('a\nb\nc\nd\ne\nf\ng')).toBe('7 lines: at most 6.');
    expect(listProblem(`ok\n${'x'.repeat(300)}`)).toBeNull();
    expect(listProblem(`ok\n\n${'x'.repeat(301)}`)).toBe('Line 2 has 301 characters: at most 300.');
  });
});

describe('a deep review’s verdicts', () => {
  it('each has a mark and a word, and the summary counts the ones given, in order', () => {
    expect(Object.values(VERDICTS).map((v) => `${v.mark} ${v.text}`)).toEqual(['✓ supported', '? uncertain', '✗ invalidating']);
    const a = (verdict: 'supported' | 'uncertain' | 'invalidating') => ({ assumption: 'A', verdict, reason: 'R', evidence: [] });
    expect(verdictCounts({ cycle: 0, assumptions: [a('invalidating'), a('supported'), a('supported')], sink: 'S' })).toBe('2 supported · 1 invalidating');
    expect(verdictCounts({ cycle: 0, assumptions: [a('uncertain')], sink: 'S' })).toBe('1 uncertain');
  });
});
