/** After the last cycle: the research overview (ranked hypotheses, why they lead, experiments, open questions). */
import type { Hypothesis, MetaReview, RunRecord } from '../run-types.js';
import { BUDGET } from '../call-plan.js';
import { cut, goalBlock, hypothesisBlock, JSON_ONLY, messages } from './parts.js';

const SYSTEM = `You write the research overview at the end of an AI co-scientist run, for the scientist who set the goal. Rank the leading hypotheses (use their ids), say why each leads, propose the first experiments to run, and list the open questions. Be concrete and honest about uncertainty. List up to five key references: cite the excerpts the hypotheses rest on as "[n]", or give a DOI, arXiv id or PMID with the title; every reference is checked, so never invent one. ${JSON_ONLY}
Shape: {"summary": "a paragraph", "ranked": [{"id": "h1", "why": "..."}], "experiments": ["..."], "open_questions": ["..."], "references": [{"citation": "...", "relevance": "..."}]}`;

/** The records the leaders cite, one line each, so the overview can cite them as [n]. */
function citedTitles(leaders: Hypothesis[], records: readonly RunRecord[]): string {
  const cited = [...new Set(leaders.flatMap((h) => h.citations))].sort((a, b) => a - b);
  const lines = cited.map((n) => records[n - 1]).flatMap((r) => (r ? [`[${r.n}] ${r.title}${r.year ? ` (${r.year})` : ''}`] : []));
  return lines.length > 0 ? `\n\nPapers the hypotheses cite:\n${cut(lines.join('\n'), BUDGET.cited)}` : '';
}

export function overviewPrompt(goal: string, leaders: Hypothesis[], meta: MetaReview | undefined, records: readonly RunRecord[] = []) {
  const list = leaders
    .slice(0, 10)
    .map((h) => hypothesisBlock(h, `${h.id} (Elo ${Math.round(h.elo)}):`))
    .join('\n\n');
  const metaText = meta
    ? cut(`Strengths: ${meta.strengths.join('; ')}\nWeaknesses: ${meta.weaknesses.join('; ')}\nAdvice: ${meta.advice}`, BUDGET.meta_review)
    : 'None.';
  return messages(
    SYSTEM,
    `${goalBlock(goal)}\n\nLeading hypotheses, best first:\n${list}\n\nLast meta-review:\n${metaText}${citedTitles(leaders.slice(0, 10), records)}`,
  );
}
