/**
 * How much of each answer a run keeps in state.json. Every answer is cut to a bound, and a run
 * has a budget for all its answers; past it, answers are kept as short previews. Metrics and
 * checks use the whole answer; only what is stored (and exported) is cut.
 */
export const STORED_ANSWER_CHARS = 2000;
export const RUN_ANSWER_BUDGET_CHARS = 500_000;
export const PREVIEW_CHARS = 200;

export class StoredAnswers {
  private used: number;

  constructor(existing: ReadonlyArray<{ answer: string }>) {
    this.used = existing.reduce((n, r) => n + r.answer.length, 0);
  }

  keep(answer: string): { answer: string; truncated: boolean } {
    const bound = this.used < RUN_ANSWER_BUDGET_CHARS ? STORED_ANSWER_CHARS : PREVIEW_CHARS;
    const kept = cutChars(answer, bound);
    this.used += kept.length;
    return { answer: kept, truncated: kept.length < answer.length };
  }
}

/** The first `max` UTF-16 units, never ending on half a surrogate pair. */
export function cutChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
