/** A run as a Markdown report. Text the model or the scientist wrote is escaped: a report never carries live HTML. */
import { inert } from './inert-text.js';
import { literatureMethods, methodsText } from './methods.js';
import { shortAuthors } from './record-text.js';
import type { CheckedReference, Hypothesis, ResearchRun, RunRecord } from './run-types.js';
import { byRating, competing, hypothesisLabels } from './steps/ranking.js';

const esc = inert;

export function runMarkdown(run: Readonly<ResearchRun>, opts: { simulated: boolean }): string {
  // H1, H2, … as the page names them (an id the run does not know stays as it is).
  const labels = hypothesisLabels(run.hypotheses);
  const label = (id: string) => labels.get(id) ?? id;
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
    if (run.overview.references.length) lines.push('### Key references', '', ...run.overview.references.map((r) => `- ${reference(r)}`), '');
    if (run.overview.contacts.length)
      lines.push(
        '### Research contacts',
        '',
        'Authors of papers the leading hypotheses cite (never names the model wrote):',
        '',
        ...run.overview.contacts.map((c) => `- ${esc(c.name)}, author of [${c.n}] (cited by ${c.hypotheses.map(label).join(', ')})`),
        '',
      );
  }
  lines.push('## Leaderboard', '', '| # | Hypothesis | Elo | W–L |', '| --- | --- | --- | --- |');
  for (const [i, h] of byRating(competing(run.hypotheses)).entries())
    lines.push(`| ${i + 1} | ${label(h.id)}: ${esc(h.title)} | ${Math.round(h.elo)} | ${h.wins}–${h.losses} |`);
  lines.push('', '## Hypotheses', '');
  for (const h of run.hypotheses) {
    const origin = h.origin === 'evolved' ? `evolved (${h.strategy}) from ${h.parents.map(label).join(', ')}` : h.origin;
    lines.push(
      `### ${label(h.id)}: ${esc(h.title)}`,
      '',
      `*${origin}, cycle ${h.cycle + 1}${h.pinned ? ', pinned' : ''}${h.dropped ? ', dropped' : ''}${h.duplicate_of ? `, near-copy of ${label(h.duplicate_of)}` : ''}*`,
      '',
    );
    lines.push(`- **Statement.** ${esc(h.statement)}`, `- **Rationale.** ${esc(h.rationale)}`, `- **How to test.** ${esc(h.test)}`, ...grounding(h), '');
    for (const r of h.reviews) {
      lines.push(
        `Review (${r.by}): novelty ${r.novelty.score}/5, feasibility ${r.feasibility.score}/5, testability ${r.testability.score}/5${r.plausibility ? `, plausibility ${r.plausibility.score}/5` : ''}${r.safety.flag ? ' · **safety flag**' : ''}. ${esc(r.summary)}`,
      );
      for (const ref of r.references) lines.push(`  - Reference ${reference(ref)}`);
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
    for (const m of run.matches) {
      lines.push(
        `- Cycle ${m.cycle + 1}: ${label(m.a)} vs ${label(m.b)} → **${label(m.winner)}** (+${m.elo_delta})${m.debate ? ' after a debate' : ''}: ${esc(m.reason)}`,
      );
      for (const ref of (m.debate ?? []).flatMap((t) => t.references ?? [])) lines.push(`  - Named in the debate: ${reference(ref)}`);
    }
    lines.push('');
  }
  // Labcoat's own words and numbers: nothing in the methods note needs escaping.
  lines.push('## Literature', '', `**Methods.** ${methodsText(literatureMethods(run))}`, '');
  for (const n of run.literature?.notices ?? []) lines.push(`- Cycle ${n.cycle + 1}: ${esc(n.message)}`);
  if (run.literature?.notices.length) lines.push('');
  if (run.literature?.queries.length)
    lines.push(`Queries: ${run.literature.queries.map((q) => `cycle ${q.cycle + 1} “${esc(q.query)}” (${q.found} found)`).join('; ')}.`, '');
  for (const r of run.literature?.records ?? []) lines.push(`${r.n}. ${record(r)}`);
  return `${lines.join('\n')}\n`;
}

const STATUS = { verified: 'verified', not_found: '**not found**', unverifiable: 'unverifiable' } as const;

/** A reference with its status, and the record it was checked against when there is one. */
function reference(r: CheckedReference): string {
  const found = r.record ? ` → ${link(r.record.title, r.record.url)}${r.record.year ? ` (${r.record.year})` : ''}` : '';
  return `(${STATUS[r.status]}): ${esc(r.citation)}${r.status === 'verified' ? found : ''}`;
}

/** A Markdown link to a record; only http(s) URLs become links. */
const link = (title: string, url: string | null) =>
  url && /^https?:\/\//.test(url) ? `[${esc(title)}](<${url.replace(/[<>\s]/g, encodeURIComponent)}>)` : esc(title);

function record(r: RunRecord): string {
  const ids = [r.ids.doi && `doi:${r.ids.doi}`, r.ids.arxiv && `arXiv:${r.ids.arxiv}`, r.ids.pmid && `PMID ${r.ids.pmid}`].filter(Boolean).join(', ');
  return [link(r.title, r.url), esc(shortAuthors(r.authors)), r.year ?? '', esc(r.venue ?? ''), ids, `from ${r.source}`].filter((x) => x !== '').join('. ');
}

/** A hypothesis's assumptions, predictions, refutation, citations and quoted evidence, as list items. */
function grounding(h: Hypothesis): string[] {
  const lines: string[] = [];
  if (h.assumptions.length) lines.push(`- **Assumptions.** ${h.assumptions.map(esc).join('; ')}`);
  if (h.predictions.length) lines.push(`- **Predictions.** ${h.predictions.map(esc).join('; ')}`);
  if (h.falsification) lines.push(`- **Falsified if.** ${esc(h.falsification)}`);
  if (h.citations.length) lines.push(`- **Cites.** ${h.citations.map((n) => `\\[${n}\\]`).join(' ')}`);
  for (const e of h.evidence) lines.push(`- **Evidence \\[${e.n}\\].** “${esc(e.quote)}”`);
  if (h.quotes_dropped) lines.push(`- *${h.quotes_dropped} quote${h.quotes_dropped === 1 ? '' : 's'} dropped: not found in the cited abstract.*`);
  if (h.prior_work.length)
    lines.push(`- **Closest prior work.** ${h.prior_work.map((w) => `\\[${w.n}\\] (${Math.round(w.similarity * 100)}% similar)`).join(', ')}`);
  if (h.may_be_published) lines.push('- **May be published:** its closest paper says nearly the same.');
  return lines;
}
