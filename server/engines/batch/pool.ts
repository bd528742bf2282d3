/**
 * Bounded concurrency: at most `concurrency` items in flight, the next one starting as soon as
 * one ends, in order. Stops starting new items once the signal aborts; `work` must not throw.
 */
export async function runPool<T>(items: readonly T[], concurrency: number, signal: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (!signal.aborted && next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
