import { describe, expect, it } from 'vitest';
import { runPool } from '../../../../server/features/batch/pool.js';
import { etaSeconds } from '../../../../server/features/batch/run-steps.js';
import { cutChars, PREVIEW_CHARS, RUN_ANSWER_BUDGET_CHARS, STORED_ANSWER_CHARS, StoredAnswers } from '../../../../server/features/batch/stored-answers.js';

describe('bounded concurrency', () => {
  it('never has more than the limit in flight, runs every item once, and stops starting on abort', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const items = Array.from({ length: 25 }, (_, i) => i);
    await runPool(items, 4, new AbortController().signal, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      seen.push(i);
      inFlight--;
    });
    expect(peak).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual(items);

    const abort = new AbortController();
    const started: number[] = [];
    await runPool(items, 3, abort.signal, async (i) => {
      started.push(i);
      if (i === 4) abort.abort();
      await new Promise((r) => setImmediate(r));
    });
    expect(started.length).toBeLessThanOrEqual(6);
  });
});

describe('batch ETA', () => {
  const p = (done: number, doneNow: number, total = 100) => ({ done, total, doneNow, began: 0, warmup: 4 });
  it('is unknown until the first round of concurrent answers is in, then remaining × time per result', () => {
    expect(etaSeconds(p(3, 3), 1000)).toBeNull();
    expect(etaSeconds(p(4, 4), 1000)).toBe(24); // 4 results in 1 s: 96 left take 24 s
    expect(etaSeconds(p(54, 4), 1000)).toBe(12); // resumed at 50: only this job's rate counts
    expect(etaSeconds(p(100, 80), 5000)).toBe(0);
  });
});

describe('stored answers', () => {
  it('cut each answer to its bound, then to previews once the run\u2019s budget is spent', () => {
    const store = new StoredAnswers([{ answer: 'x'.repeat(RUN_ANSWER_BUDGET_CHARS - 10) }]);
    expect(store.keep('short')).toEqual({ answer: 'short', truncated: false });
    expect(store.keep('y'.repeat(STORED_ANSWER_CHARS + 5)).answer).toHaveLength(STORED_ANSWER_CHARS);
    expect(store.keep('z'.repeat(STORED_ANSWER_CHARS))).toEqual({ answer: 'z'.repeat(PREVIEW_CHARS), truncated: true });
  });

  it('never cuts a character in half', () => {
    expect(cutChars('ab\u{1F600}cd', 3)).toBe('ab');
    expect(cutChars('ab\u{1F600}cd', 4)).toBe('ab\u{1F600}');
  });
});
