import { describe, expect, it } from 'vitest';
import { newRecords } from '../../../../server/features/research/grounding.js';
import { preregistration } from '../../../../server/features/research/preregistration.js';
import { hypothesis, makeRun, WORDS } from './harness.js';

describe('preregistration', () => {
  const records = newRecords(
    [],
    [
      {
        id: 'doi:10.1/k',
        source: 'openalex',
        title: 'Kefir and sleep',
        authors: [],
        year: 2021,
        venue: null,
        ids: { doi: '10.1/k' },
        url: null,
        abstract: null,
      },
    ],
    0,
  );
  const lead = hypothesis('h_lead', WORDS[0]!, {
    elo: 1232,
    wins: 3,
    losses: 1,
    predictions: ['Shorter sleep onset'],
    falsification: '',
    assumptions: ['Microbes reach the gut'],
    citations: [1],
    deep_review: {
      cycle: 0,
      assumptions: [{ assumption: 'It is causal', verdict: 'uncertain', reason: 'Only observational data', evidence: [] }],
      sink: 'A null trial.',
    },
  });
  const second = hypothesis('h_2', WORDS[1]!, { elo: 1200, wins: 1, losses: 1 });
  const third = hypothesis('h_3', WORDS[2]!, { elo: 1168, wins: 0, losses: 2 });
  const run = makeRun({ hypotheses: [second, lead, third], literature: { records, queries: [], notices: [], sources: ['openalex'] } });

  it('writes predictions, the refutation (the deep review’s when none was stated), design, controls, evidence and standing', () => {
    const md = preregistration(run, second, { simulated: false });
    expect(md.startsWith('# Preregistration: H1. photosynthesis drives algae\n')).toBe(true);
    const top = preregistration(run, lead, { simulated: true });
    expect(top).toContain('# Preregistration: H2. microbiome drives sleep');
    expect(top).toContain('> Made with a **simulated model**');
    expect(top).toContain('## Predictions\n\n- Shorter sleep onset\n');
    expect(top).toContain('## Falsification criterion\n\nA null trial.\n');
    expect(top).toContain('## Design\n\nMeasure sleep while varying microbiome.');
    expect(top).toContain('- Microbes reach the gut\n- It is causal \\(uncertain: Only observational data\\)');
    expect(top).toContain('- [1] Kefir and sleep (2021), doi:10.1/k');
    expect(top).toContain('Ranked 1 of 3. Elo 1232 after 4 matches (3–1).');
    // 32 Elo behind it is H1; each H1 win over it closes the gap by about 2 × 32 × (1 − 0.454) ≈ 35.
    expect(top).toContain('- H1 is 32 Elo behind: about 1 loss to it would put it ahead.');
    expect(preregistration(run, third, { simulated: false })).toContain('- H1 is 32 Elo ahead: about 1 win over it would put H3 first of the two.');
  });

  it('says so when the hypothesis no longer competes, and when nothing is cited', () => {
    const dropped = { ...third, dropped: true };
    const md = preregistration({ ...run, hypotheses: [second, lead, dropped] }, dropped, { simulated: false });
    expect(md).toContain('H3 no longer competes');
    expect(md).toContain('- No retrieved record is cited.');
  });
});
