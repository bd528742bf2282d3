/**
 * How close hypotheses are to each other, computed locally from their words (TF-IDF cosine):
 * no model download and no paid call. The tournament pairs close hypotheses, the run flags
 * near-duplicates, and the page draws the proximity graph. Pure.
 */

export interface SimilarPair {
  a: string;
  b: string;
  similarity: number;
}

export interface ProximityGraph {
  nodes: string[];
  edges: Array<{ a: string; b: string; weight: number }>;
}

/** Words that carry no topic; short words (under 3 characters) are dropped separately. */
const STOPWORDS = new Set([
  'about',
  'above',
  'after',
  'again',
  'against',
  'all',
  'also',
  'and',
  'any',
  'are',
  'because',
  'been',
  'before',
  'being',
  'between',
  'both',
  'but',
  'can',
  'could',
  'did',
  'does',
  'doing',
  'down',
  'during',
  'each',
  'few',
  'for',
  'from',
  'further',
  'had',
  'has',
  'have',
  'having',
  'her',
  'here',
  'hers',
  'him',
  'his',
  'how',
  'into',
  'its',
  'itself',
  'may',
  'might',
  'more',
  'most',
  'must',
  'nor',
  'not',
  'now',
  'off',
  'once',
  'only',
  'other',
  'our',
  'ours',
  'out',
  'over',
  'own',
  'same',
  'she',
  'should',
  'some',
  'such',
  'than',
  'that',
  'the',
  'their',
  'theirs',
  'them',
  'then',
  'there',
  'these',
  'they',
  'this',
  'those',
  'through',
  'too',
  'under',
  'until',
  'very',
  'was',
  'were',
  'what',
  'when',
  'where',
  'which',
  'while',
  'who',
  'whom',
  'why',
  'will',
  'with',
  'would',
  'you',
  'your',
  'yours',
]);

/** Checked in order; the first that leaves a stem of at least 4 characters is stripped. */
const SUFFIXES = ['ing', 'ed', 'es', 's'] as const;
const MIN_STEM = 4;

/** Topic words of a text: lowercased, stopwords and short words dropped, lightly stemmed. */
export function tokens(text: string): string[] {
  const words =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => w.length >= 3 && !STOPWORDS.has(w)).map(stem);
}

/**
 * Strips one inflection so "measuring", "measured" and "measures" meet, then a final "e" so
 * "measure" meets them too. A plural "s" after s, u or i is part of the word ("process", "virus", "analysis").
 */
function stem(word: string): string {
  let w = word;
  for (const suffix of SUFFIXES) {
    if (!w.endsWith(suffix) || w.length - suffix.length < MIN_STEM) continue;
    if (suffix === 's' && /[sui]s$/.test(w)) continue;
    w = w.slice(0, -suffix.length);
    break;
  }
  return w.endsWith('e') && w.length - 1 >= MIN_STEM ? w.slice(0, -1) : w;
}

/**
 * Cosine similarity of the texts' TF-IDF vectors, with smoothed idf ln((1+n)/(1+df)) + 1 so a word
 * shared by every text still counts a little. Symmetric, in [0, 1], rounded to 4 decimals;
 * 1 on the diagonal, except 0 for a text with no topic words.
 */
export function similarityMatrix(texts: string[]): number[][] {
  const vectors = tfidf(texts.map(tokens));
  const norms = vectors.map(norm);
  const matrix = texts.map(() => texts.map(() => 0));
  vectors.forEach((vi, i) => {
    const ni = norms[i]!;
    if (ni === 0) return;
    matrix[i]![i] = 1;
    for (let j = i + 1; j < vectors.length; j++) {
      const nj = norms[j]!;
      const value = nj === 0 ? 0 : round4(clamp01(dot(vi, vectors[j]!) / (ni * nj)));
      matrix[i]![j] = value;
      matrix[j]![i] = value;
    }
  });
  return matrix;
}

/** Pairs (a before b in `ids`) at or above the threshold, most similar first; ties keep `ids` order. */
export function nearDuplicates(ids: string[], matrix: number[][], threshold = 0.75): SimilarPair[] {
  return upperPairs(ids, matrix)
    .filter((p) => p.similarity >= threshold)
    .sort((x, y) => y.similarity - x.similarity); // stable: ties stay in ids order
}

/** Nodes and the edges worth drawing (weight at or above minWeight, never 0), in `ids` order. */
export function proximityGraph(ids: string[], matrix: number[][], minWeight = 0.15): ProximityGraph {
  const edges = upperPairs(ids, matrix)
    .filter((p) => p.similarity > 0 && p.similarity >= minWeight)
    .map((p) => ({ a: p.a, b: p.b, weight: p.similarity }));
  return { nodes: [...ids], edges };
}

type Vector = Map<string, number>;

function tfidf(docs: string[][]): Vector[] {
  const df = new Map<string, number>();
  for (const doc of docs) for (const term of new Set(doc)) df.set(term, (df.get(term) ?? 0) + 1);
  const n = docs.length;
  return docs.map((doc) => {
    const v: Vector = new Map();
    for (const term of doc) v.set(term, (v.get(term) ?? 0) + 1);
    for (const [term, tf] of v) v.set(term, tf * (Math.log((1 + n) / (1 + df.get(term)!)) + 1));
    return v;
  });
}

function dot(x: Vector, y: Vector): number {
  const [small, large] = x.size <= y.size ? [x, y] : [y, x];
  let sum = 0;
  for (const [term, w] of small) sum += w * (large.get(term) ?? 0);
  return sum;
}

function norm(v: Vector): number {
  let sum = 0;
  for (const w of v.values()) sum += w * w;
  return Math.sqrt(sum);
}

/** Every pair i < j with its matrix value; the matrix must be ids.length square. */
function upperPairs(ids: string[], matrix: number[][]): SimilarPair[] {
  if (matrix.length !== ids.length || matrix.some((row) => row.length !== ids.length)) {
    throw new RangeError(`similarity matrix must be ${ids.length}x${ids.length}`);
  }
  const pairs: SimilarPair[] = [];
  ids.forEach((a, i) => {
    for (let j = i + 1; j < ids.length; j++) pairs.push({ a, b: ids[j]!, similarity: matrix[i]![j]! });
  });
  return pairs;
}

// Floating error can put a self-similar cosine a hair above 1.
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
