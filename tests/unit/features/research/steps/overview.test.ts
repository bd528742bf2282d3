import { afterEach, describe, expect, it } from 'vitest';
import { overview } from '../../../../../server/features/research/steps/overview.js';
import { hypothesis, type Lab, makeRun, openLab, userOf, WORDS } from '../harness.js';

let lab: Lab;
afterEach(() => lab.close());

describe('overview', () => {
  it('writes the overview from the leaders, dropping ranked ids the model made up', async () => {
    lab = await openLab({
      overview: () => ({
        kind: 'ok',
        content: JSON.stringify({
          summary: 'One idea leads.',
          ranked: [
            { id: 'h_top', why: 'Won everything.' },
            { id: 'h_invented', why: 'Does not exist.' },
            { id: 'h_low', why: 'Runner-up.' },
          ],
          experiments: ['Pilot study.'],
          open_questions: ['Replicates?'],
        }),
      }),
    });
    lab.put(
      makeRun({
        hypotheses: [
          hypothesis('h_low', WORDS[0]!, { elo: 1150 }),
          hypothesis('h_top', WORDS[1]!, { elo: 1320 }),
          hypothesis('h_gone', WORDS[2]!, { elo: 1400, dropped: true }),
        ],
        meta_reviews: [{ cycle: 0, strengths: ['s'], weaknesses: ['w'], advice: 'LAST-ADVICE' }],
      }),
    );
    const ctx = lab.context(2);
    await overview(ctx);
    const result = lab.run().overview;
    expect(result).toEqual({
      cycle: 2,
      summary: 'One idea leads.',
      ranked: [
        { id: 'h_top', why: 'Won everything.' },
        { id: 'h_low', why: 'Runner-up.' },
      ],
      experiments: ['Pilot study.'],
      open_questions: ['Replicates?'],
      references: [],
      contacts: [],
    });
    const prompt = userOf(lab.asked()[0]!);
    expect(prompt.indexOf('h_top (Elo 1320, 0–0)')).toBeGreaterThan(-1);
    expect(prompt.indexOf('h_top (Elo 1320, 0–0)')).toBeLessThan(prompt.indexOf('h_low (Elo 1150, 0–0)'));
    expect(prompt).not.toContain('h_gone');
    expect(prompt).toContain('LAST-ADVICE');
    expect(ctx.emitted).toEqual([{ kind: 'overview', payload: { overview: result } }]);
  });

  it('keeps ids of hypotheses that no longer compete (they existed)', async () => {
    lab = await openLab({
      overview: () => ({
        kind: 'ok',
        content: JSON.stringify({ summary: 's', ranked: [{ id: 'h_gone', why: 'was good' }], experiments: [], open_questions: [] }),
      }),
    });
    lab.put(makeRun({ hypotheses: [hypothesis('h_gone', WORDS[2]!, { dropped: true })] }));
    await overview(lab.context());
    expect(lab.run().overview!.ranked).toEqual([{ id: 'h_gone', why: 'was good' }]);
  });

  it('reads each leader’s reviews, win–loss record and the judges’ reasons (finding 7)', async () => {
    lab = await openLab();
    const own = {
      id: 'r_own',
      cycle: 0,
      by: 'scientist' as const,
      novelty: { score: 2, reason: '' },
      feasibility: { score: 2, reason: '' },
      testability: { score: 2, reason: '' },
      safety: { flag: false, note: '' },
      references: [],
      summary: 'SCIENTIST-DOUBTS-IT',
    };
    lab.put(
      makeRun({
        hypotheses: [hypothesis('h_top', WORDS[1]!, { elo: 1320, wins: 3, losses: 1, reviews: [own] }), hypothesis('h_low', WORDS[0]!, { elo: 1150 })],
        matches: [
          {
            id: 'm1',
            cycle: 0,
            a: 'h_top',
            b: 'h_low',
            winner: 'h_top',
            reason: 'REASON-IT-WON',
            elo_before: { a: 1200, b: 1200 },
            elo_delta: 16,
            debate: null,
          },
        ],
      }),
    );
    await overview(lab.context(0));
    const prompt = userOf(lab.asked()[0]!);
    expect(prompt).toContain('h_top (Elo 1320, 3–1):');
    expect(prompt).toContain("The scientist's review: Novelty 2/5, feasibility 2/5, testability 2/5. SCIENTIST-DOUBTS-IT");
    expect(prompt).toContain('What judges said:\nWon: REASON-IT-WON');
    expect(prompt).toContain('Lost: REASON-IT-WON'); // the same match, from h_low's side
  });
});
