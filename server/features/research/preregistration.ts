/**
 * A preregistration-style record of one hypothesis, as Markdown: what it predicts, what would
 * refute it, the design, what to control for, the evidence it rests on, and where it stands in
 * the run (what would change its ranking). Built from the run alone: no model call. Pure.
 */
import { expectedScore } from './elo.js';
import { inert } from './inert-text.js';
import { primaryId } from './record-text.js';
import { byRating, competing, hypothesisLabels } from './steps/ranking.js';
import type { Hypothesis, ResearchRun } from './run-types.js';

const esc = inert;

export function preregistration(run: Readonly<ResearchRun>, h: Readonly<Hypothesis>, opts: { simulated: boolean }): string {
  const label = hypothesisLabels(run.hypotheses).get(h.id) ?? h.id;
  const list = (xs: string[]) => (xs.length > 0 ? xs.map((x) => `- ${esc(x)}`) : ['- (none stated)']);
  const doubts = (h.deep_review?.assumptions ?? []).filter((a) => a.verdict !== 'supported').map((a) => `${a.assumption} (${a.verdict}: ${a.reason})`);
  const records = run.literature?.records ?? [];
  const cited = h.citations.map((n) => records[n - 1]).filter((r) => r !== undefined);
  const lines = [
    `# Preregistration: ${label}. ${esc(h.title)}`,
    '',
    ...(opts.simulated ? ['> Made with a **simulated model** (npm run demo): placeholder text, not research.', ''] : []),
    `Drafted by Labcoat from research run ${run.id} (model ${esc(run.model)}) as it stood on ${new Date(run.updated_at).toISOString().slice(0, 10)}. Review every line before registering it.`,
    '',
    '## Hypothesis',
    '',
    esc(h.statement),
    '',
    `Rationale: ${esc(h.rationale)}`,
    '',
    '## Predictions',
    '',
    ...list(h.predictions),
    '',
    '## Falsification criterion',
    '',
    esc(h.falsification || h.deep_review?.sink || 'Not stated: write the result that would refute it before collecting data.'),
    '',
    '## Design',
    '',
    esc(h.test),
    '',
    '## Assumptions to control for',
    '',
    ...list([...h.assumptions, ...doubts]),
    '',
    '## Evidence it rests on',
    '',
    ...(cited.length > 0
      ? cited.map((r) => `- [${r.n}] ${esc(r.title)}${r.year ? ` (${r.year})` : ''}${primaryId(r) ? `, ${primaryId(r)}` : ''}`)
      : ['- No retrieved record is cited.']),
    '',
    '## Standing in the run',
    '',
    ...standing(run, h, label),
  ];
  return `${lines.join('\n')}\n`;
}

/** Its rank, Elo and record, and how many lost matches to its nearest rivals would change its place. */
function standing(run: Readonly<ResearchRun>, h: Readonly<Hypothesis>, label: string): string[] {
  const ranked = byRating(competing(run.hypotheses));
  const rank = ranked.findIndex((x) => x.id === h.id);
  const record = `Elo ${Math.round(h.elo)} after ${h.wins + h.losses} matches (${h.wins}–${h.losses}).`;
  if (rank < 0) return [`${label} no longer competes (dropped, a near-copy, or held for safety). ${record}`];
  const labels = hypothesisLabels(run.hypotheses);
  const k = run.settings.elo_k;
  const rival = (other: Hypothesis | undefined, above: boolean) => {
    if (!other) return [];
    const gap = Math.abs(h.elo - other.elo);
    // Each win of the one behind moves K·(1 − its expected score) from the other: the gap closes by twice that.
    const [behind, ahead] = above ? [h, other] : [other, h];
    const swing = 2 * k * (1 - expectedScore(behind.elo, ahead.elo));
    const n = Math.max(1, Math.ceil(gap / swing));
    const who = labels.get(other.id) ?? other.id;
    return [
      above
        ? `- ${who} is ${Math.round(gap)} Elo ahead: about ${n} win${n === 1 ? '' : 's'} over it would put ${label} first of the two.`
        : `- ${who} is ${Math.round(gap)} Elo behind: about ${n} loss${n === 1 ? '' : 'es'} to it would put it ahead.`,
    ];
  };
  return [
    `Ranked ${rank + 1} of ${ranked.length}. ${record}`,
    '',
    'What would change the ranking:',
    ...rival(ranked[rank - 1], true),
    ...rival(ranked[rank + 1], false),
  ];
}
