import { describe, expect, it } from 'vitest';
import { nearDuplicates, proximityGraph, similarityMatrix, tokens } from '../../../../server/features/research/proximity.js';

const sim = (x: string, y: string) => similarityMatrix([x, y])[0]![1]!;

describe('tokens', () => {
  it('keeps lowercase topic words, without stopwords or words under 3 characters', () => {
    expect(tokens('The Gut of a MOUSE is on CO2 and 5 or 2024!')).toEqual(['gut', 'mous', 'co2', '2024']);
  });

  it('splits on anything that is not a Unicode letter or digit', () => {
    expect(tokens('Zürich—Ångström/naïve_café')).toEqual(['zürich', 'ångström', 'naïv', 'café']);
  });

  it('stems measuring, measured, measures and measure to one token', () => {
    const [a, b, c, d] = ['measuring', 'measured', 'measures', 'measure'].map((w) => tokens(w)[0]);
    expect(new Set([a, b, c, d]).size).toBe(1);
    expect(tokens('microbiome microbiomes')).toEqual(['microbiom', 'microbiom']);
  });

  it('leaves short stems and words ending in ss, us or is alone', () => {
    expect(tokens('rates sing bed process processes virus analysis')).toEqual(['rate', 'sing', 'bed', 'process', 'process', 'virus', 'analysis']);
  });
});

describe('similarityMatrix', () => {
  it('gives 1 for identical texts and 0 for texts with no word in common', () => {
    expect(sim('Sleep quality improves with fiber', 'Sleep quality improves with fiber')).toBe(1);
    expect(sim('Sleep quality improves with fiber', 'Ocean acidification dissolves coral reefs')).toBe(0);
  });

  it('ranks a paraphrase sharing key terms above an unrelated text', () => {
    const m = similarityMatrix([
      'Gut microbiome diversity predicts sleep quality in adults',
      'Adults with a more diverse gut microbiome report better sleep quality',
      'Rising ocean acidification slows coral calcification',
    ]);
    expect(m[0]![1]!).toBeGreaterThan(m[0]![2]!);
    expect(m[0]![1]!).toBeGreaterThan(0.3);
    expect(m[0]![2]!).toBe(0);
  });

  it('is symmetric, in [0, 1], rounded to 4 decimals, with 0 for a text without topic words', () => {
    const texts = ['alpha beta gamma', 'beta gamma delta delta', 'the of and', '', 'gamma epsilon'];
    const m = similarityMatrix(texts);
    expect(m).toHaveLength(texts.length);
    m.forEach((row, i) => {
      expect(row).toHaveLength(texts.length);
      row.forEach((v, j) => {
        expect(v).toBe(m[j]![i]!);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
        expect(Math.round(v * 10_000) / 10_000).toBe(v);
      });
    });
    expect([0, 1, 2, 3, 4].map((i) => m[i]![i])).toEqual([1, 1, 0, 0, 1]);
    expect(m[2]![0]).toBe(0);
  });

  it('is empty for no texts', () => {
    expect(similarityMatrix([])).toEqual([]);
  });
});

describe('near-duplicates and the proximity graph', () => {
  const ids = ['h1', 'h2', 'h3', 'h4'];
  const statements = [
    'Increasing dietary fiber changes the gut microbiome composition, which improves sleep quality in adults.',
    'Changes in gut microbiome composition caused by increased dietary fiber improve adult sleep quality.',
    'Ocean acidification reduces the calcification rate of reef-building corals.',
    'Gut microbiome composition influences how well adults respond to vaccines.',
  ];
  const m = similarityMatrix(statements);

  it('flags the two statements about the gut microbiome and sleep, not the ocean one', () => {
    const dups = nearDuplicates(ids, m);
    expect(dups.map((d) => [d.a, d.b])).toEqual([['h1', 'h2']]);
    expect(dups[0]!.similarity).toBeGreaterThanOrEqual(0.75);
    expect(m[0]![2]).toBe(0);
  });

  it('lists pairs at or above the threshold, most similar first, a before b in ids order', () => {
    const matrix = [
      [1, 0.8, 0.9],
      [0.8, 1, 0.8],
      [0.9, 0.8, 1],
    ];
    expect(nearDuplicates(['x', 'y', 'z'], matrix, 0.8)).toEqual([
      { a: 'x', b: 'z', similarity: 0.9 },
      { a: 'x', b: 'y', similarity: 0.8 },
      { a: 'y', b: 'z', similarity: 0.8 },
    ]);
    expect(nearDuplicates(['x', 'y', 'z'], matrix, 0.95)).toEqual([]);
  });

  it('draws every hypothesis and only the edges worth drawing', () => {
    const graph = proximityGraph(ids, m);
    expect(graph.nodes).toEqual(ids);
    expect(graph.edges.some((e) => e.a === 'h1' && e.b === 'h2')).toBe(true);
    expect(graph.edges.some((e) => e.a === 'h3' || e.b === 'h3')).toBe(false);
    for (const e of graph.edges) expect(e.weight).toBeGreaterThanOrEqual(0.15);
    expect(proximityGraph(ids, m, 0).edges.every((e) => e.weight > 0)).toBe(true);
  });

  it('rejects a matrix that does not match the ids', () => {
    expect(() => nearDuplicates(['a', 'b'], [[1]])).toThrow(RangeError);
    expect(() => proximityGraph(['a'], [[1, 0]])).toThrow(RangeError);
  });
});
