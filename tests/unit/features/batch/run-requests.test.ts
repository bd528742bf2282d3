import { describe, expect, it } from 'vitest';
import { CURATED_SUITE_IDS } from '../../../../server/features/batch/curated-suites.js';
import { endpointOf, selectedPlan, selection } from '../../../../server/features/batch/run-requests.js';

describe('what a batch selection picks', () => {
  it('runs every curated suite on the named sessions, the first endpoint judging with its own model', () => {
    const plan = selectedPlan(selection.parse({ session_ids: ['s1', 's2'], suites: 'all' }));
    expect(plan.endpoints).toEqual([{ session_id: 's1' }, { session_id: 's2' }]);
    expect(plan.suites.map((s) => s.id)).toEqual([...CURATED_SUITE_IDS]);
    expect(plan.judge).toEqual({ endpoint: 0, model: undefined });
  });

  it('compares a second model on one session, and judges with the session the request names', () => {
    const plan = selectedPlan(selection.parse({ session_ids: ['s1'], compare_model: 'other/model', suites: [CURATED_SUITE_IDS[0]], judge: { model: 'j/m' } }));
    expect(plan.endpoints).toEqual([{ session_id: 's1' }, { session_id: 's1', model: 'other/model' }]);
    expect(plan.judge).toEqual({ endpoint: 0, model: 'j/m' });
    expect(selectedPlan(selection.parse({ session_ids: ['s1', 's2'], suites: 'all', judge: { session_id: 's2' } })).judge?.endpoint).toBe(1);
  });

  it('refuses no suite, an unknown judge session, and compare_model on two sessions', () => {
    expect(() => selectedPlan(selection.parse({ session_ids: ['s1'] }))).toThrow(expect.objectContaining({ status: 400, code: 'no_suite' }));
    expect(() => endpointOf(['s1'], 's9')).toThrow(expect.objectContaining({ code: 'not_in_run' }));
    expect(selection.safeParse({ session_ids: ['s1', 's2'], compare_model: 'x/y', suites: 'all' }).success).toBe(false);
    expect(selection.safeParse({ session_ids: ['s1', 's1'], suites: 'all' }).success).toBe(false);
    expect(endpointOf(['s1', 's2'], undefined)).toBe(0);
  });
});
