/** After the last cycle: the research overview (ranked hypotheses, why they lead, experiments, open questions). */
import type { Hypothesis, Match, MetaReview, RunRecord } from '../run-types.js';
import { BUDGET } from '../call-plan.js';
import { type Brief, cut, goalBlock, hypothesisBlock, JSON_ONLY, messages, reviewsOf } from './parts.js';

const SYSTEM = `You write the research overview at the end of an AI co-scientist run, for the scientist who set the goal. Rank the leading hypotheses (use their ids), say why each leads, propose the first experiments to run, and list the open questions. Be concrete and honest about uncertainty. List up to five key references: cite the excerpts the hypotheses rest on as "[n]", or give a DOI, arXiv id or PMID with the title; every reference is checked, so never invent one. ${JSON_ONLY}
Shape: {"summary": "a paragraph", "ranked": [{"id": "h1", "why": "..."}], "experiments": ["..."], "open_questions": ["..."], "references": [{"citation": "...", "relevance": "..."}]}`;

/** The records the leaders cite, one line each, so the overview can cite them as [n]. */
function citedTitles(leaders: Hypothesis[], records: readonly RunRecord[]): string {
  const cited = [...new Set(leaders.flatMap((h) => h.citations))].sort((a, b) => a - b);
  const lines = cited.map((n) => records[n - 1]).flatMap((r) => (r ? [`[${r.n}] ${r.title}${r.year ? ` (${r.year})` : ''}`] : []));
  return lines.length > 0 ? `\n\nPapers the hypotheses cite:\n${cut(lines.join('\n'), BUDGET.cited)}` : '';
}

export function overviewPrompt(
  goal: Brief,
  leaders: Hypothesis[],
  meta: MetaReview | undefined,
  records: readonly RunRecord[] = [],
  matches: readonly Match[] = [],
) {
  const list = leaders
    .slice(0, 10)
    .map((h) => leaderBlock(h, matches))
    .join('\n\n');
  const metaText = meta
    ? cut(`Strengths: ${meta.strengths.join('; ')}\nWeaknesses: ${meta.weaknesses.join('; ')}\nAdvice: ${meta.advice}`, BUDGET.meta_review)
    : 'None.';
  return messages(
    SYSTEM,
    `${goalBlock(goal)}\n\nLeading hypotheses, best first:\n${list}\n\nLast meta-review:\n${metaText}${citedTitles(leaders.slice(0, 10), records)}`,
  );
}

/** A leader as the overview reads it: its text, record, reviews and the judges' latest reasons about it. */
function leaderBlock(h: Hypothesis, matches: readonly Match[]): string {
  const reasons = matches
    .filter((m) => m.a === h.id || m.b === h.id)
    .slice(-3)
    .reverse()
    .map((m) => `${m.winner === h.id ? 'Won' : 'Lost'}: ${m.reason}`);
  const judged = reasons.length > 0 ? `\nWhat judges said:\n${cut(reasons.join('\n'), BUDGET.match_reasons)}` : '';
  return `${hypothesisBlock(h, `${h.id} (Elo ${Math.round(h.elo)}, ${h.wins}–${h.losses}):`)}\n${reviewsOf(h)}${judged}`;
}
