import { afterEach, describe, expect, it } from 'vitest';
import { tournament } from '../../../../../server/features/research/steps/tournament.js';
import { ELO_START } from '../../../../../server/features/research/elo.js';
import type { Verdict } from '../../../../../server/features/research/run-types.js';
import { cycle, hypothesis, type Lab, makeRun, openLab, settings, systemOf, WORDS } from '../harness.js';

let lab: Lab;
afterEach(() => lab.close());

/** Single matches: A wins; debates: the judge picks B. Deterministic whatever order the calls arrive in. */
const lab4 = () =>
  openLab({
    match: () => ({ kind: 'ok', content: JSON.stringify({ winner: 'A', reason: 'A is sharper.' }) }),
    verdict: () => ({ kind: 'ok', content: JSON.stringify({ winner: 'B', reason: 'B survived the debate.' }) }),
  });
const four = () => WORDS.slice(0, 4).map((w, i) => hypothesis(`h_${i + 1}`, w));

describe('tournament', () => {
  it('draws the pairs once, asks each verdict, records the matches and moves Elo from losers to winners', async () => {
    lab = await lab4();
    lab.put(makeRun({ settings: settings({ matches_per_entrant: 2, debate: true, debate_pairs: 1, debate_turns: 3 }), hypotheses: four() }));
    const ctx = lab.context();
    await tournament(ctx);
    const run = lab.run();
    const saved = run.cycles[0]!.tournament!;
    expect(saved.pairs.length).toBeGreaterThan(0);
    expect(saved.pairs.filter((p) => p.debate)).toHaveLength(1);
    expect(saved.verdicts.every((v) => v !== null)).toBe(true);

    expect(run.matches).toHaveLength(saved.pairs.length);
    run.matches.forEach((m, i) => {
      const pair = saved.pairs[i]!;
      expect([m.a, m.b]).toEqual([pair.a, pair.b]);
      expect(m.cycle).toBe(0);
      expect(m.winner).toBe(pair.debate ? pair.b : pair.a);
      expect(m.elo_delta).toBeGreaterThan(0);
      if (pair.debate) {
        expect(m.debate!.map((t) => t.speaker)).toEqual(['A', 'B', 'judge']);
        expect(m.debate!.at(-1)!.text).toBe('B survived the debate.');
      } else expect(m.debate).toBeNull();
    });
    expect(run.matches[0]!.elo_before).toEqual({ a: ELO_START, b: ELO_START });

    const total = run.hypotheses.reduce((s, h) => s + h.elo, 0);
    expect(total).toBeCloseTo(4 * ELO_START, 6); // points only move
    expect(run.hypotheses.reduce((s, h) => s + h.wins, 0)).toBe(run.matches.length);
    expect(run.hypotheses.reduce((s, h) => s + h.losses, 0)).toBe(run.matches.length);
    expect(run.hypotheses.every((h) => h.entered)).toBe(true);

    // One call per single match; a 3-turn debate is two advocates and the judge.
    const asked = lab.asked().map(systemOf);
    expect(asked.filter((s) => /judge a match/.test(s))).toHaveLength(saved.pairs.length - 1);
    expect(asked.filter((s) => /advocate/.test(s))).toHaveLength(2);
    expect(asked.filter((s) => /judge a scientific debate/.test(s))).toHaveLength(1);
    expect(ctx.emitted.filter((e) => e.kind === 'match')).toHaveLength(run.matches.length);
    expect(ctx.progressed.at(-1)).toEqual(['tournament', saved.pairs.length, saved.pairs.length]);
  });

  it('in cycle 1, where every rating is 1,200, debates the best-reviewed pair, not the first drawn (finding 9)', async () => {
    lab = await lab4();
    const review = (score: number) => ({
      id: `r_${score}`,
      cycle: 0,
      by: 'model' as const,
      novelty: { score, reason: '' },
      feasibility: { score, reason: '' },
      testability: { score, reason: '' },
      safety: { flag: false, note: '' },
      references: [],
      summary: '',
    });
    const hs = four().map((h, i) => ({ ...h, reviews: [review(i < 2 ? 1 : 5)] })); // h_3 and h_4 are the best reviewed
    lab.put(makeRun({ settings: settings({ matches_per_entrant: 3, debate: true, debate_pairs: 1, debate_turns: 3 }), hypotheses: hs }));
    await tournament(lab.context());
    const debated = lab.run().matches.find((m) => m.debate)!;
    expect([debated.a, debated.b].sort()).toEqual(['h_3', 'h_4']);
  });

  it('gives both advocates the same number of turns and alternates who opens (finding 3)', async () => {
    lab = await lab4();
    lab.put(makeRun({ settings: settings({ matches_per_entrant: 3, debate: true, debate_pairs: 2, debate_turns: 2 }), hypotheses: four() }));
    await tournament(lab.context());
    const speakers = lab
      .run()
      .matches.filter((m) => m.debate)
      .map((m) => m.debate!.map((t) => t.speaker).join(''));
    // Before: with 2 turns only A spoke, and A always opened.
    expect(speakers.sort()).toEqual(['ABjudge', 'BAjudge']);
  });

  it('shows the two in a random order, kept with the pair (the newcomer is not always A)', async () => {
    lab = await lab4();
    const hs = [hypothesis('h_old', WORDS[0]!, { entered: true }), hypothesis('h_new', WORDS[1]!)];
    lab.put(makeRun({ settings: settings({ matches_per_entrant: 1, debate: false }), hypotheses: hs }));
    await tournament({ ...lab.context(), random: () => 0.9 });
    expect(lab.run().cycles[0]!.tournament!.pairs).toEqual([{ a: 'h_old', b: 'h_new', debate: false }]);
    expect(lab.run().matches[0]).toMatchObject({ a: 'h_old', b: 'h_new', winner: 'h_old' });
  });

  it('has each child meet its parent at least once, however different its words', async () => {
    lab = await lab4();
    const older = four().map((h) => ({ ...h, entered: true }));
    const child = hypothesis('h_child', WORDS[3]!, { origin: 'evolved', strategy: 'out_of_the_box', parents: ['h_1'] }); // words of h_4, not h_1
    lab.put(makeRun({ settings: settings({ matches_per_entrant: 1, debate: false }), hypotheses: [...older, child] }));
    await tournament(lab.context());
    expect(lab.run().matches.map((m) => [m.a, m.b].sort())).toEqual([['h_1', 'h_child']]);
  });

  it('leaves dropped hypotheses and near-copies out', async () => {
    lab = await lab4();
    const hs = four();
    hs[2]!.dropped = true;
    hs[3]!.duplicate_of = 'h_1';
    lab.put(makeRun({ settings: settings({ matches_per_entrant: 3, debate: false }), hypotheses: hs }));
    await tournament(lab.context());
    const run = lab.run();
    expect(run.cycles[0]!.tournament!.pairs).toEqual([{ a: 'h_1', b: 'h_2', debate: false }]);
    expect(run.hypotheses.map((h) => h.entered)).toEqual([true, true, false, false]);
  });

  it('resumes: keeps the saved pairs and asks only the verdicts it lacks', async () => {
    lab = await lab4();
    const kept: Verdict = { winner: 'B', reason: 'Saved before the restart.', debate: null };
    lab.put(
      makeRun({
        settings: settings({ debate: false }),
        hypotheses: four(),
        cycles: [
          cycle(0, {
            tournament: {
              pairs: [
                { a: 'h_1', b: 'h_2', debate: false },
                { a: 'h_3', b: 'h_4', debate: false },
              ],
              verdicts: [kept, null],
            },
          }),
        ],
      }),
    );
    const ctx = lab.context();
    await tournament(ctx);
    expect(lab.asked()).toHaveLength(1);
    const run = lab.run();
    expect(run.matches.map((m) => [m.a, m.b, m.winner, m.reason])).toEqual([
      ['h_1', 'h_2', 'h_2', 'Saved before the restart.'],
      ['h_3', 'h_4', 'h_3', 'A is sharper.'],
    ]);
    expect(ctx.progressed[0]).toEqual(['tournament', 1, 2, '2 matches']);
  });

  it('an entrant alone with nobody to meet plays no match', async () => {
    lab = await lab4();
    lab.put(makeRun({ hypotheses: [hypothesis('h_1', WORDS[0]!)] }));
    await tournament(lab.context());
    expect(lab.run().matches).toEqual([]);
    expect(lab.asked()).toHaveLength(0);
    expect(lab.run().hypotheses[0]!.entered).toBe(true);
  });
});
