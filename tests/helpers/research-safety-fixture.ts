/**
 * A finished research run for the page's safety and ranking tests: the literature run
 * (research-literature-fixture.ts) with more matches (the judge chose the first-shown hypothesis
 * in 5 of 8, and ratings rest on 1 to 5 matches each), a hypothesis a review flagged for safety
 * (held), the scientist's own hypothesis the screen declined, a declined note and a waiting one.
 * Ratings are replayed from the matches with shared/elo.js, as the server rated them.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyState } from '../../server/app-state.js';
import { STATE_FILE } from '../../server/core/store/store.js';
import type { Hypothesis, Match, ResearchRun } from '../../server/features/research/run-types.js';
import { ELO_START, eloUpdate } from '../../shared/elo.js';
import { hypothesis, literatureRun, review } from './research-literature-fixture.js';

export const SAFETY_RUN_ID = 'run_safetyFixture000001';
export const FLAGGED_ID = 'h_flagged';
export const REFUSED_ID = 'h_own_refused';
export const SAFETY_NOTE = 'It proposes faecal transplants in infants without an ethics review.';
export const REFUSED_REASON = 'It asks how to make a gut pathogen spread more easily.';
export const REFUSED_NOTE = {
  text: 'Culture the pathogen from patients and pass it between mice.',
  refused: 'Serial passage of a pathogen raises dual-use concerns.',
};
export const WAITING_NOTE = 'Prefer cheap observational studies.';
const AT = Date.parse('2026-03-02T09:00:00Z');
const K = 32;

/** Who met whom (A is the one the judge was shown first) and who won, in the order played. */
const PLAYED: Array<[cycle: number, a: string, b: string, winner: 'a' | 'b']> = [
  [0, 'h_diversity', 'h_probiotic', 'a'],
  [1, 'h_rhythm', 'h_diversity', 'a'],
  [1, 'h_diversity', 'h_rhythm', 'a'],
  [1, 'h_probiotic', 'h_rhythm', 'b'],
  [1, 'h_rhythm', 'h_probiotic', 'a'],
  [1, 'h_diversity', 'h_probiotic', 'a'],
  [1, 'h_probiotic', 'h_diversity', 'b'],
  [1, 'h_newcomer', 'h_probiotic', 'b'],
];

export function safetyRun(): ResearchRun {
  const base = literatureRun();
  const hypotheses: Hypothesis[] = [
    ...base.hypotheses.map((h) => ({ ...h, elo: ELO_START, wins: 0, losses: 0 })),
    hypothesis(FLAGGED_ID, {
      cycle: 1,
      title: 'Infant microbiota transfer sets lifelong sleep',
      statement: 'Transferring the microbiota of good sleepers to infants sets their sleep for life.',
      reviews: [{ ...review('r_flag', 1, []), safety: { flag: true, note: SAFETY_NOTE } }],
    }),
    hypothesis(REFUSED_ID, {
      cycle: 1,
      title: 'A more transmissible strain spreads better sleep',
      statement: 'Making a gut bacterium spread between people would spread its effect on sleep.',
      origin: 'scientist',
      refused: REFUSED_REASON,
      entered: false,
    }),
    hypothesis('h_newcomer', {
      cycle: 1,
      title: 'Fibre timing at dinner shifts sleep onset',
      statement: 'Eating fibre at dinner instead of breakfast shifts sleep onset earlier.',
      origin: 'evolved',
      strategy: 'inspiration',
      parents: ['h_diversity', 'h_rhythm'],
      reviews: [review('r_new', 1, [])],
    }),
  ];
  const byId = new Map(hypotheses.map((h) => [h.id, h]));
  const matches: Match[] = PLAYED.map(([cycle, a, b, side], i) => {
    const ha = byId.get(a)!;
    const hb = byId.get(b)!;
    const r = eloUpdate(ha.elo, hb.elo, side, K);
    const before = { a: ha.elo, b: hb.elo };
    [ha.elo, hb.elo] = [r.a, r.b];
    const [w, l] = side === 'a' ? [ha, hb] : [hb, ha];
    w.wins += 1;
    l.losses += 1;
    const first = base.matches[0]!;
    return i === 0
      ? { ...first, elo_before: before, elo_delta: r.delta }
      : { id: `m_${i + 1}`, cycle, a, b, winner: w.id, reason: `${w.title} is easier to test.`, elo_before: before, elo_delta: r.delta, debate: null };
  });
  return {
    ...base,
    id: SAFETY_RUN_ID,
    settings: { ...base.settings, elo_k: K },
    hypotheses,
    matches,
    notes: [
      { cycle: 1, text: REFUSED_NOTE.text, at: AT, refused: REFUSED_NOTE.refused },
      { cycle: 2, text: WAITING_NOTE, at: AT + 60_000 },
    ],
  };
}

/** Writes a state.json holding the run into `dataDir`, as the app's store reads it at start-up. */
export async function writeSafetyState(dataDir: string): Promise<void> {
  const state = { ...emptyState(new Date(AT)), research_runs: { [SAFETY_RUN_ID]: safetyRun() } };
  await writeFile(join(dataDir, STATE_FILE), JSON.stringify(state));
}
