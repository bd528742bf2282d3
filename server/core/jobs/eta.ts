/**
 * When each queued job will start, given the running ones: a small simulation of
 * `slots` workers, each job taking its kind's average duration. Pure.
 */
export function estimateStarts(input: {
  now: number;
  slots: number;
  running: Array<{ started_at: number; expected_ms: number }>;
  queued: Array<{ expected_ms: number }>;
}): number[] {
  const { now, slots } = input;
  // Time at which each slot becomes free; a running job that overran its average is "about to finish".
  const free = input.running.map((r) => Math.max(now, r.started_at + r.expected_ms));
  while (free.length < slots) free.push(now);
  free.sort((a, b) => a - b);
  const starts: number[] = [];
  for (const job of input.queued) {
    const at = free.shift() ?? now;
    starts.push(at);
    insertSorted(free, at + job.expected_ms);
  }
  return starts;
}

function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > value) i--;
  list.splice(i, 0, value);
}

/** A new sample folded into a running average; recent jobs weigh more once there are many. */
export function updateAverage(prev: { avg_ms: number; count: number } | undefined, sample_ms: number): { avg_ms: number; count: number } {
  if (!prev) return { avg_ms: sample_ms, count: 1 };
  const count = prev.count + 1;
  const weight = 1 / Math.min(count, 20);
  return { avg_ms: prev.avg_ms + (sample_ms - prev.avg_ms) * weight, count };
}
