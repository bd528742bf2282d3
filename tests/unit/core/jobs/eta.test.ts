import { describe, expect, it } from 'vitest';
import { estimateStarts, updateAverage } from '../../../../server/core/jobs/eta.js';

describe('queue ETA', () => {
  it('starts queued jobs at once when slots are free', () => {
    expect(estimateStarts({ now: 1000, slots: 2, running: [], queued: [{ expected_ms: 10 }, { expected_ms: 10 }] })).toEqual([1000, 1000]);
  });

  it('waits for the earliest slot, then chains', () => {
    const starts = estimateStarts({
      now: 0,
      slots: 2,
      running: [
        { started_at: 0, expected_ms: 30_000 },
        { started_at: -50_000, expected_ms: 60_000 },
      ],
      queued: [{ expected_ms: 20_000 }, { expected_ms: 20_000 }, { expected_ms: 20_000 }],
    });
    expect(starts).toEqual([10_000, 30_000, 30_000]);
  });

  it('treats a job running past its average as about to finish', () => {
    expect(estimateStarts({ now: 100_000, slots: 1, running: [{ started_at: 0, expected_ms: 5000 }], queued: [{ expected_ms: 1 }] })).toEqual([100_000]);
  });

  it('averages durations, weighting recent ones once there are many', () => {
    let avg = updateAverage(undefined, 100);
    expect(avg).toEqual({ avg_ms: 100, count: 1 });
    avg = updateAverage(avg, 200);
    expect(avg.avg_ms).toBe(150);
    for (let i = 0; i < 200; i++) avg = updateAverage(avg, 1000);
    expect(avg.avg_ms).toBeGreaterThan(990);
  });
});
