// @ts-check
/**
 * The research plan and the deep verification as the page reads and edits them: the plan's
 * editable draft and the PUT body made from it (lists one item a line), what a list breaks of the
 * server's limits, and a deep review's verdicts in words. Pure.
 */

/** @typedef {import('../../shared/research-types.js').ResearchPlan} ResearchPlan */
/** @typedef {NonNullable<import('../../shared/research-types.js').Hypothesis['deep_review']>} DeepReview */
/** @typedef {DeepReview['assumptions'][number]['verdict']} Verdict */
/** @typedef {{ objective: string, domain: string, preferences: string, constraints: string, attributes: string }} PlanDraft */

/** What PUT …/plan accepts (server/features/research/run-requests.ts). */
export const PLAN_LIMITS = { objective: 600, domain: 120, items: 6, item: 300 };

/** The plan's three lists, with their names on the page. */
export const PLAN_LISTS = /** @type {const} */ ([
  ['preferences', 'Preferences'],
  ['constraints', 'Constraints'],
  ['attributes', 'A good hypothesis has'],
]);

/** @param {ResearchPlan | null} plan @returns {PlanDraft} the form's fields (empty for no plan) */
export function planDraft(plan) {
  return {
    objective: plan?.objective ?? '',
    domain: plan?.domain ?? '',
    preferences: (plan?.preferences ?? []).join('\n'),
    constraints: (plan?.constraints ?? []).join('\n'),
    attributes: (plan?.attributes ?? []).join('\n'),
  };
}

/** @param {string} text @returns {string[]} its non-blank lines, trimmed */
export const linesOf = (text) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** @param {PlanDraft} d @returns {ResearchPlan} the PUT body: trimmed, blank lines left out (the server judges the rest) */
export function planBody(d) {
  return {
    objective: d.objective.trim(),
    domain: d.domain.trim(),
    preferences: linesOf(d.preferences),
    constraints: linesOf(d.constraints),
    attributes: linesOf(d.attributes),
  };
}

/** @param {string} text one item a line @returns {string | null} what the server would refuse, in words */
export function listProblem(text) {
  const lines = linesOf(text);
  if (lines.length > PLAN_LIMITS.items) return `${lines.length} lines: at most ${PLAN_LIMITS.items}.`;
  const long = lines.findIndex((l) => l.length > PLAN_LIMITS.item);
  return long < 0 ? null : `Line ${long + 1} has ${lines[long]?.length} characters: at most ${PLAN_LIMITS.item}.`;
}

/** @type {Record<Verdict, { mark: string, text: string }>} each verdict with a mark, so colour is never the only sign */
export const VERDICTS = {
  supported: { mark: '✓', text: 'supported' },
  uncertain: { mark: '?', text: 'uncertain' },
  invalidating: { mark: '✗', text: 'invalidating' },
};

/** @param {DeepReview} d @returns {string} "2 supported · 1 uncertain · 1 invalidating", the verdicts it gave, in that order */
export function verdictCounts(d) {
  return /** @type {Verdict[]} */ (Object.keys(VERDICTS))
    .map((v) => [v, d.assumptions.filter((a) => a.verdict === v).length])
    .filter(([, n]) => n)
    .map(([v, n]) => `${n} ${v}`)
    .join(' · ');
}
