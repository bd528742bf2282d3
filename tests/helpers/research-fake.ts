import type { Behavior, RecordedRequest } from './fake-upstream.js';

/** Words to give each fake hypothesis its own vocabulary, so proximity does not flag them as copies. */
const TOPICS = [
  ['microbiome', 'sleep', 'bacteria'],
  ['photosynthesis', 'algae', 'light'],
  ['glacier', 'melting', 'albedo'],
  ['neuron', 'plasticity', 'synapse'],
  ['enzyme', 'catalysis', 'temperature'],
  ['volcano', 'magma', 'seismic'],
  ['vaccine', 'antibody', 'immunity'],
  ['coral', 'reef', 'acidity'],
  ['battery', 'lithium', 'anode'],
  ['galaxy', 'redshift', 'telescope'],
  ['protein', 'folding', 'chaperone'],
  ['soil', 'nitrogen', 'fungi'],
];

const system = (rec: RecordedRequest): string => String(rec.body?.messages?.[0]?.content ?? '');
const user = (rec: RecordedRequest): string => String(rec.body?.messages?.at(-1)?.content ?? '');

/** The numbered excerpts a prompt gave ("[n] title…" then "Abstract: …"), in order. */
export function excerptsIn(prompt: string): Array<{ n: number; abstract: string }> {
  return [...prompt.matchAll(/^\[(\d+)\] [^\n]*\nAbstract: ([^\n]*)/gm)].map((m) => ({ n: Number(m[1]), abstract: m[2]! }));
}

/** Grounding fields as a careful model gives them: it cites the first excerpts, quotes one verbatim and misquotes one. */
function grounding(prompt: string) {
  const given = excerptsIn(prompt).slice(0, 2);
  const real = given[0] && given[0].abstract !== '(none)' ? [{ n: given[0].n, quote: given[0].abstract.split(/(?<=\.) /)[0]! }] : [];
  const misquote = given[1] ? [{ n: given[1].n, quote: 'A sentence this abstract never contained.' }] : [];
  return {
    assumptions: ['The effect is causal.'],
    predictions: ['The outcome moves with the cause.'],
    falsification: 'No change in the outcome when the cause is varied.',
    citations: given.map((g) => g.n),
    evidence: [...real, ...misquote],
  };
}

/** A review's references: an excerpt it was given, an invented DOI, and a reference with nothing to check it by. */
function references(prompt: string, count: number) {
  const prior = excerptsIn(prompt)[0];
  return [
    ...(prior ? [{ citation: `[${prior.n}]`, relevance: 'closest prior work' }] : []),
    { citation: `Invented A. A paper that does not exist. doi:10.9999/invented.${count}`, relevance: 'made up' },
    { citation: 'Smith et al. 2020', relevance: 'related' },
  ];
}

/**
 * A scripted co-scientist for the fake upstream: it recognises each research step by its
 * instructions and answers valid JSON (or prose for debate turns). `overrides` can replace
 * the answer for a step by name.
 */
export function researchResponder(overrides: Partial<Record<string, (rec: RecordedRequest) => Behavior | undefined>> = {}) {
  let n = 0;
  let verdicts = 0;
  const ok = (content: unknown): Behavior => ({ kind: 'ok', content: typeof content === 'string' ? content : JSON.stringify(content) });
  const draft = () => {
    const [a, b, c] = TOPICS[n++ % TOPICS.length]!;
    return {
      title: `${a} drives ${b} (${n})`,
      statement: `Changes in ${a} alter ${b} through ${c}.`,
      rationale: `Known links between ${a} and ${c}.`,
      test: `Measure ${b} while varying ${a}.`,
    };
  };
  return (rec: RecordedRequest): Behavior | undefined => {
    const sys = system(rec);
    const step = /screen research goals/.test(sys)
      ? 'screen'
      : /plan literature searches/.test(sys)
        ? 'queries'
        : /verify a leading research hypothesis/.test(sys)
          ? 'deep_review'
          : /proposing research hypotheses/.test(sys)
            ? 'generate'
            : /peer reviewer/.test(sys)
              ? 'review'
              : /judge a match/.test(sys)
                ? 'match'
                : /advocate/.test(sys)
                  ? 'advocate'
                  : /judge a scientific debate/.test(sys)
                    ? 'verdict'
                    : /improve research hypotheses/.test(sys)
                      ? 'evolve'
                      : /meta-review/.test(sys)
                        ? 'meta_review'
                        : /research overview/.test(sys)
                          ? 'overview'
                          : 'unknown';
    const custom = overrides[step]?.(rec);
    if (custom) return custom;
    switch (step) {
      case 'screen':
        return ok({
          allowed: true,
          reason: 'A legitimate research question.',
          plan: {
            objective: 'PLAN-OBJECTIVE: find testable mechanisms behind the goal.',
            preferences: ['mechanisms over correlations'],
            constraints: ['human data only'],
            attributes: ['a measurable outcome'],
            domain: 'biology',
          },
        });
      case 'queries': {
        const count = Number(user(rec).match(/Write exactly (\d+)/)?.[1] ?? 2);
        return ok({ queries: ['malaria', 'attention transformer', 'sleep microbiome', 'glacier albedo'].slice(0, count) });
      }
      case 'generate': {
        const count = Number(user(rec).match(/Propose exactly (\d+)/)?.[1] ?? 3);
        const cites = grounding(user(rec));
        return ok({ hypotheses: Array.from({ length: count }, () => ({ ...draft(), ...(cites.citations.length > 0 ? cites : {}) })) });
      }
      case 'review':
        return ok({
          novelty: { score: 4, reason: 'Fresh angle.' },
          feasibility: { score: 3, reason: 'Needs a lab.' },
          testability: { score: 5, reason: 'Clear measure.' },
          plausibility: { score: 4, reason: 'Known mechanisms.' },
          safety: { flag: false, note: '' },
          references: /Closest prior work/.test(user(rec)) ? references(user(rec), n) : [{ citation: 'Smith et al. 2020', relevance: 'related' }],
          summary: 'Strong mechanism; costly test.',
        });
      case 'deep_review': {
        const cited = excerptsIn(user(rec))[0];
        return ok({
          assumptions: [
            { assumption: 'The effect is causal.', reason: 'Trials exist.', verdict: 'supported', evidence: cited ? [cited.n] : [] },
            { assumption: 'It holds in adults.', reason: 'Only children were studied.', verdict: 'uncertain' },
          ],
          sink: 'DEEP-SINK: a null result in a large adult trial.',
        });
      }
      case 'match':
      case 'verdict':
        return ok({ winner: verdicts++ % 3 === 2 ? 'B' : 'A', reason: 'A names a clearer mechanism.' });
      case 'advocate':
        return ok('My side explains the data better and is cheaper to test.');
      case 'evolve': {
        const cites = grounding(user(rec));
        return ok({ hypothesis: { ...draft(), ...(cites.citations.length > 0 ? cites : {}) }, change: 'Sharpened the mechanism.' });
      }
      case 'meta_review':
        return ok({ strengths: ['clear mechanisms'], weaknesses: ['expensive tests'], advice: `META-ADVICE-${n}: prefer cheap observational tests.` });
      case 'overview': {
        const ids = [...user(rec).matchAll(/^(h_[\w-]+) \(Elo/gm)].map((m) => m[1]!);
        return ok({
          summary: 'Two lines of work lead.',
          ranked: ids.slice(0, 3).map((id) => ({ id, why: 'Won its matches.' })),
          experiments: ['A cheap pilot.'],
          open_questions: ['Does it replicate?'],
        });
      }
      default:
        return undefined;
    }
  };
}
