/** A run as a Markdown report. Text the model or the scientist wrote is escaped: a report never carries live HTML. */
import type { ResearchRun } from './run-types.js';
import { byRating, competing } from './steps/ranking.js';

/**
 * Text from the model or the scientist, made inert: one line, HTML escaped, and Markdown's link,
 * image, emphasis, heading, code and table characters backslash-escaped.
 */
const esc = (s: string) =>
  s
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)
    .replace(/[\\`*_[\]()!#|]/g, '\\$&');

export function runMarkdown(run: Readonly<ResearchRun>, opts: { simulated: boolean }): string {
  const lines: string[] = [`# Research run ${run.id}`, ''];
  if (opts.simulated) lines.push('> Made with a **simulated model** (npm run demo): the content is placeholder text, not research.', '');
  lines.push(
    `**Goal.** ${esc(run.goal)}`,
    '',
    `Model: ${esc(run.model)} · cycles: ${run.cycles.length} · model calls: ${run.usage.calls} · cost: $${run.usage.usd}`,
    '',
  );
  if (run.overview) {
    lines.push('## Overview', '', esc(run.overview.summary), '');
    if (run.overview.experiments.length) lines.push('### Proposed experiments', '', ...run.overview.experiments.map((e) => `- ${esc(e)}`), '');
    if (run.overview.open_questions.length) lines.push('### Open questions', '', ...run.overview.open_questions.map((q) => `- ${esc(q)}`), '');
  }
  lines.push('## Leaderboard', '', '| # | Hypothesis | Elo | W–L |', '| --- | --- | --- | --- |');
  for (const [i, h] of byRating(competing(run.hypotheses)).entries())
    lines.push(`| ${i + 1} | ${esc(h.title)} (${h.id}) | ${Math.round(h.elo)} | ${h.wins}–${h.losses} |`);
  lines.push('', '## Hypotheses', '');
  for (const h of run.hypotheses) {
    const origin = h.origin === 'evolved' ? `evolved (${h.strategy}) from ${h.parents.join(', ')}` : h.origin;
    lines.push(
      `### ${esc(h.title)} (${h.id})`,
      '',
      `*${origin}, cycle ${h.cycle + 1}${h.pinned ? ', pinned' : ''}${h.dropped ? ', dropped' : ''}${h.duplicate_of ? `, near-copy of ${h.duplicate_of}` : ''}*`,
      '',
    );
    lines.push(`- **Statement.** ${esc(h.statement)}`, `- **Rationale.** ${esc(h.rationale)}`, `- **How to test.** ${esc(h.test)}`, '');
    for (const r of h.reviews) {
      lines.push(
        `Review (${r.by}): novelty ${r.novelty.score}/5, feasibility ${r.feasibility.score}/5, testability ${r.testability.score}/5${r.safety.flag ? ' · **safety flag**' : ''}. ${esc(r.summary)}`,
      );
      for (const ref of r.references) lines.push(`  - Unverified reference: ${esc(ref.citation)}`);
    }
    lines.push('');
  }
  if (run.meta_reviews.length) {
    lines.push('## Meta-reviews', '');
    for (const m of run.meta_reviews)
      lines.push(
        `### Cycle ${m.cycle + 1}`,
        '',
        `Strengths: ${m.strengths.map(esc).join('; ')}`,
        '',
        `Weaknesses: ${m.weaknesses.map(esc).join('; ')}`,
        '',
        esc(m.advice),
        '',
      );
  }
  if (run.matches.length) {
    lines.push('## Matches', '');
    for (const m of run.matches)
      lines.push(`- Cycle ${m.cycle + 1}: ${m.a} vs ${m.b} → **${m.winner}** (+${m.elo_delta})${m.debate ? ' after a debate' : ''}: ${esc(m.reason)}`);
  }
  return `${lines.join('\n')}\n`;
}
