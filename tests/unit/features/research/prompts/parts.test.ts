import { describe, expect, it } from 'vitest';
import { cut, goalBlock, hypothesisBlock, JSON_ONLY, messages, reviewBlock } from '../../../../../server/features/research/prompts/parts.js';
import { BUDGET } from '../../../../../server/features/research/call-plan.js';
import type { Review } from '../../../../../server/features/research/run-types.js';

const review: Review = {
  id: 'r_1',
  cycle: 0,
  by: 'model',
  novelty: { score: 4, reason: 'x' },
  feasibility: { score: 2, reason: 'y' },
  testability: { score: 5, reason: 'z' },
  safety: { flag: false, note: '' },
  references: [],
  summary: 'Solid idea.',
};

describe('cut', () => {
  it('keeps text within the byte budget without splitting a character', () => {
    expect(cut('hello', 10)).toBe('hello');
    expect(cut('hello', 3)).toBe('hel');
    expect(cut('ééé', 3)).toBe('é'); // 2 bytes each: the half character is dropped
    expect(Buffer.byteLength(cut('🧪🧪🧪', 5))).toBe(4);
  });
});

describe('goalBlock', () => {
  it('fences the goal as the scientist wrote it', () => {
    expect(goalBlock('Why is the sky blue?')).toBe('Research goal:\n"""\nWhy is the sky blue?\n"""');
  });
});

describe('hypothesisBlock', () => {
  const h = { title: 'T', statement: 'S', rationale: 'R', test: 'X' };

  it('labels the fields under the given label', () => {
    expect(hypothesisBlock(h, '#1')).toBe('#1\nTitle: T\nStatement: S\nRationale: R\nHow to test: X');
  });

  it('cuts the body (not the label) to the hypothesis budget', () => {
    const long = { ...h, rationale: 'r'.repeat(BUDGET.hypothesis * 2) };
    const block = hypothesisBlock(long, 'LABEL');
    expect(block.startsWith('LABEL\nTitle: T')).toBe(true);
    expect(Buffer.byteLength(block)).toBe('LABEL\n'.length + BUDGET.hypothesis);
    expect(block).not.toContain('How to test');
  });
});

describe('reviewBlock', () => {
  it('summarises the scores and the summary', () => {
    expect(reviewBlock(review)).toBe('Novelty 4/5, feasibility 2/5, testability 5/5. Solid idea.');
  });

  it('says so when there is no review', () => {
    expect(reviewBlock(undefined)).toBe('No review yet.');
  });

  it('cuts a long summary to the review budget', () => {
    expect(Buffer.byteLength(reviewBlock({ ...review, summary: 'x'.repeat(5000) }))).toBe(BUDGET.review);
  });
});

describe('messages', () => {
  it('is the system prompt then the user prompt', () => {
    expect(messages('sys', 'usr')).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'usr' },
    ]);
  });

  it('JSON_ONLY forbids prose and fences', () => {
    expect(JSON_ONLY).toMatch(/one JSON object only/);
    expect(JSON_ONLY).toMatch(/no code fences/);
  });
});
