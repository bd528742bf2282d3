import { describe, expect, it } from 'vitest';
import type { LiteratureRecord } from '../../../../server/core/literature/record.js';
import { checkEvidence, MAY_BE_PUBLISHED_AT, newRecords, priorWork, researchContacts } from '../../../../server/features/research/grounding.js';
import type { RunRecord } from '../../../../server/features/research/run-types.js';

const rec = (over: Partial<LiteratureRecord> & { title: string }): LiteratureRecord => ({
  id: `openalex:${over.title.length}`,
  source: 'openalex',
  authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'],
  year: 2020,
  venue: 'Journal',
  ids: {},
  url: null,
  abstract: null,
  ...over,
});

describe('newRecords', () => {
  it('numbers records after the run’s own and skips the same work found again by DOI, PMID, arXiv id or title', () => {
    const existing = newRecords([], [rec({ id: 'doi:10.1/a', title: 'Gut bacteria and sleep', ids: { doi: '10.1/a', pmid: '111' } })], 0);
    expect(existing.map((r) => [r.n, r.cycle])).toEqual([[1, 0]]);
    const found = [
      rec({ id: 'pmid:111', title: 'Another title for the same paper', ids: { pmid: '111' } }),
      rec({ id: 'openalex:W9', title: 'Gut Bacteria and Sleep!', ids: { openalex: 'W9' } }),
      rec({ id: 'arxiv:2301.00001', title: 'A new preprint', ids: { arxiv: '2301.00001' } }),
      rec({ id: 'arxiv:2301.00001', title: 'A new preprint (v2)', ids: { arxiv: '2301.00001' } }),
    ];
    const added = newRecords(existing, found, 1);
    expect(added.map((r) => [r.n, r.id, r.cycle])).toEqual([[2, 'arxiv:2301.00001', 1]]);
  });
});

describe('newRecords, bounded', () => {
  it('keeps at most the run’s bound of records', () => {
    const many = Array.from({ length: 5 }, (_, i) => rec({ id: `openalex:W${i}`, title: `Paper number ${i} on a topic` }));
    const first = newRecords([], many.slice(0, 2), 0, 3);
    expect(newRecords(first, many.slice(2), 1, 3).map((r) => r.n)).toEqual([3]);
  });
});

describe('checkEvidence', () => {
  const records = newRecords(
    [],
    [rec({ title: 'A', abstract: 'Sleep  improved in\n the treated group. Nothing else changed.' }), rec({ title: 'Another one', abstract: null })],
    0,
  );

  it('keeps a quote the cited abstract contains word for word (whitespace and quote marks aside)', () => {
    expect(checkEvidence([{ n: 1, quote: '“Sleep improved in the   treated group.”' }], records)).toEqual({
      evidence: [{ n: 1, quote: 'Sleep improved in the treated group.' }],
      dropped: 0,
    });
  });

  it('drops a paraphrase, a quote of another abstract, a quote of a record without abstract, and a number that is not a record', () => {
    const result = checkEvidence(
      [
        { n: 1, quote: 'Sleep got better in the treated group.' },
        { n: 1, quote: 'sleep improved in the treated group.' },
        { n: 2, quote: 'Nothing else changed.' },
        { n: 7, quote: 'Nothing else changed.' },
      ],
      records,
    );
    expect(result).toEqual({ evidence: [], dropped: 4 });
  });
});

describe('priorWork', () => {
  const records: RunRecord[] = newRecords(
    [],
    [
      rec({ title: 'Kefir fermented milk shortens sleep onset latency', abstract: 'Kefir fermented milk drinkers fell asleep faster in a trial.' }),
      rec({ title: 'Glacier albedo feedback', abstract: 'Dark ice absorbs more sunlight and melts faster.' }),
      rec({ title: 'Volcanic ash and crop yields', abstract: 'Ash deposits change soil chemistry.' }),
    ],
    0,
  );

  it('lists the closest records first, and flags a hypothesis that restates one as possibly published', () => {
    const h = {
      id: 'h1',
      title: 'Kefir fermented milk shortens sleep onset latency',
      statement: 'Kefir fermented milk drinkers fall asleep faster.',
      rationale: 'trial',
    };
    const far = { id: 'h2', title: 'Glacier melt', statement: 'Sunlight absorption by dark ice speeds glacier melting.', rationale: 'albedo' };
    const result = priorWork([h, far], records);
    expect(result.get('h1')!.prior_work[0]!.n).toBe(1);
    expect(result.get('h1')!.prior_work[0]!.similarity).toBeGreaterThanOrEqual(MAY_BE_PUBLISHED_AT);
    expect(result.get('h1')!.may_be_published).toBe(true);
    expect(result.get('h2')!.prior_work[0]!.n).toBe(2);
    expect(result.get('h2')!.may_be_published).toBe(false);
    expect(result.get('h2')!.prior_work.map((w) => w.n)).not.toContain(3);
  });

  it('has nothing to say without records', () => {
    expect(priorWork([{ id: 'h1', title: 't', statement: 's', rationale: 'r' }], []).get('h1')).toEqual({ prior_work: [], may_be_published: false });
  });
});

describe('researchContacts', () => {
  const records = newRecords(
    [],
    [
      rec({ title: 'First paper here', authors: ['Ada Lovelace', 'Mid Author', 'Grace Hopper'] }),
      rec({ title: 'Second paper here', authors: ['Grace Hopper'] }),
      rec({ title: 'Third paper, never cited', authors: ['Nobody Cited'] }),
    ],
    0,
  );

  it('takes first and last authors of the records the leaders cite, each once, with the hypotheses citing them', () => {
    const contacts = researchContacts(
      [
        { id: 'h1', citations: [1] },
        { id: 'h2', citations: [2, 9] },
      ],
      records,
    );
    expect(contacts).toEqual([
      { name: 'Ada Lovelace', n: 1, hypotheses: ['h1'] },
      { name: 'Grace Hopper', n: 1, hypotheses: ['h1', 'h2'] },
    ]);
  });

  it('names no one when the leaders cite nothing', () => {
    expect(researchContacts([{ id: 'h1', citations: [] }], records)).toEqual([]);
  });
});
