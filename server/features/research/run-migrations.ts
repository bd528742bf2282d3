/** How research runs written by earlier versions of Labcoat are brought to today's shape. */

type Doc = Record<string, unknown>;
type Obj = Record<string, unknown>;

/**
 * v8 (literature, reasoning): runs gain their literature (none) and reasoning off, cycles their lookups, hypotheses their
 * assumptions, predictions, falsification, citations and prior work; references the model named
 * before were never checked, so they become `unverifiable`.
 */
export function literatureFields(state: Doc): Doc {
  const runs = (state.research_runs ?? {}) as Record<string, Obj>;
  for (const run of Object.values(runs)) {
    run.literature ??= null;
    run.plan ??= null;
    const settings = run.settings as Obj | undefined;
    if (settings) settings.reasoning ??= 'off';
    for (const c of (run.cycles ?? []) as Obj[]) {
      c.lookups ??= 0;
      (c.plan as Obj).lookups_max ??= 0;
    }
    for (const h of (run.hypotheses ?? []) as Obj[]) {
      Object.assign(h, {
        assumptions: [],
        predictions: [],
        falsification: '',
        citations: [],
        evidence: [],
        quotes_dropped: 0,
        prior_work: [],
        may_be_published: false,
        ...h,
      });
      for (const r of (h.reviews ?? []) as Obj[]) r.references = ((r.references ?? []) as Obj[]).map(unchecked);
    }
    const overview = run.overview as Obj | null | undefined;
    if (overview) Object.assign(overview, { references: [], contacts: [], ...overview });
  }
  return state;
}

const unchecked = (ref: Obj): Obj => ({ status: 'unverifiable', via: null, record: null, relevance: '', ...ref });
