/** Shared pieces of the research prompts, each cut to its byte budget so a call never outgrows its plan. */
import { cutUtf8 } from '../../../core/llm/structured.js';
import { BUDGET } from '../call-plan.js';
import { primaryId, shortAuthors } from '../record-text.js';
import type { ChatMessage } from '../../../core/llm/llm-client.js';
import type { DeepReview, Hypothesis, ResearchPlan, Review, RunRecord } from '../run-types.js';

export function cut(text: string, bytes: number): string {
  return cutUtf8(text, bytes);
}

/** What every prompt starts from: the goal, and the research plan once there is one. */
export type Brief = string | { goal: string; plan: ResearchPlan | null };

/** The goal as the scientist wrote it (validated to at most 5,000 characters on the way in), then the plan (cut to its budget). */
export function goalBlock(brief: Brief): string {
  const { goal, plan } = typeof brief === 'string' ? { goal: brief, plan: null } : brief;
  const block = `Research goal:\n"""\n${goal}\n"""`;
  return plan ? `${block}\n\n${cut(planText(plan), BUDGET.plan)}` : block;
}

function planText(p: ResearchPlan): string {
  const list = (label: string, xs: string[]) => (xs.length > 0 ? `\n${label}: ${xs.join('; ')}` : '');
  return `Research plan (follow it):\nObjective: ${p.objective}${p.domain ? `\nDomain: ${p.domain}` : ''}${list('Preferences', p.preferences)}${list('Constraints', p.constraints)}${list('A good hypothesis has', p.attributes)}`;
}

type HypothesisText = Pick<Hypothesis, 'title' | 'statement' | 'rationale' | 'test'> &
  Partial<Pick<Hypothesis, 'assumptions' | 'predictions' | 'falsification' | 'citations'>>;

export function hypothesisBlock(h: HypothesisText, label: string): string {
  const lines = [`Title: ${h.title}`, `Statement: ${h.statement}`, `Rationale: ${h.rationale}`, `How to test: ${h.test}`];
  if (h.assumptions?.length) lines.push(`Assumptions: ${h.assumptions.join('; ')}`);
  if (h.predictions?.length) lines.push(`Predictions: ${h.predictions.join('; ')}`);
  if (h.falsification) lines.push(`Falsified if: ${h.falsification}`);
  if (h.citations?.length) lines.push(`Cites excerpts: ${h.citations.map((n) => `[${n}]`).join(' ')}`);
  return `${label}\n${cut(lines.join('\n'), BUDGET.hypothesis)}`;
}

/** One record as a numbered excerpt: [n] title, authors, year, venue, identifier, then its abstract. */
function excerpt(r: RunRecord): string {
  const head = [`[${r.n}] ${r.title}`, shortAuthors(r.authors), r.year ? String(r.year) : '', r.venue ?? '', primaryId(r)].filter(Boolean).join('. ');
  return cut(`${head}\nAbstract: ${r.abstract ?? '(none)'}`, BUDGET.excerpt);
}

/**
 * Numbered excerpts of records, in the order given, as many as fit in `bytes`; `given` lists the
 * numbers shown, so an answer can cite no other.
 */
export function excerptsBlock(records: readonly RunRecord[], bytes: number, heading: string): { text: string; given: number[] } {
  const shown: string[] = [];
  const given: number[] = [];
  let used = Buffer.byteLength(heading, 'utf8') + 1;
  for (const r of records) {
    const text = excerpt(r);
    const size = Buffer.byteLength(text, 'utf8') + 2;
    if (used + size > bytes) continue;
    used += size;
    shown.push(text);
    given.push(r.n);
  }
  return { text: given.length > 0 ? `${heading}\n${shown.join('\n\n')}` : '', given };
}

/** How a hypothesis cites excerpts and quotes them, for the prompts that give excerpts. */
export const CITE_RULES =
  'Cite the excerpts a hypothesis rests on by their numbers in "citations". In "evidence", quote at most two sentences from a cited abstract, copied word for word (a quote not found in that abstract is dropped and the hypothesis marked). Never cite a number that was not given.';

export function reviewBlock(r: Review | undefined): string {
  if (!r) return 'No review yet.';
  const plausible = r.plausibility ? `, plausibility ${r.plausibility.score}/5` : '';
  const body = `Novelty ${r.novelty.score}/5, feasibility ${r.feasibility.score}/5, testability ${r.testability.score}/5${plausible}. ${r.summary}`;
  return cut(body, BUDGET.review);
}

/**
 * The latest model review and the scientist's latest review of a hypothesis (each cut to
 * BUDGET.review): what a judge or an evolution reads about it. The scientist's comes first.
 */
export function reviewsOf(h: Pick<Hypothesis, 'reviews'> & Partial<Pick<Hypothesis, 'deep_review'>>): string {
  const own = h.reviews.filter((r) => r.by === 'scientist').at(-1);
  const model = h.reviews.filter((r) => r.by === 'model').at(-1);
  const lines = [...(own ? [`The scientist's review: ${reviewBlock(own)}`] : []), `Model review: ${reviewBlock(model)}`];
  if (h.deep_review) lines.push(`Deep verification: ${deepBlock(h.deep_review)}`);
  return lines.join('\n');
}

/** A deep review in one paragraph: the assumptions that are not supported, and what would sink it (cut to BUDGET.review). */
function deepBlock(d: DeepReview): string {
  const weak = d.assumptions.filter((a) => a.verdict !== 'supported').map((a) => `${a.verdict}: ${a.assumption} (${a.reason})`);
  const supported = d.assumptions.length - weak.length;
  return cut(`${supported} of ${d.assumptions.length} assumptions supported. ${weak.join(' ')} Would sink it: ${d.sink}`, BUDGET.review);
}

export function messages(system: string, user: string): ChatMessage[] {
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}

export const JSON_ONLY = 'Answer with one JSON object only: no prose around it and no code fences.';
