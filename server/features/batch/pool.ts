/**
 * Bounded concurrency: at most `concurrency` items in flight, the next one starting as soon as
 * one ends, in order. Stops starting new items once the signal aborts. If `work` throws, no new
 * item starts, the ones in flight finish, and the first error is thrown.
 */
export async function runPool<T>(items: readonly T[], concurrency: number, signal: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!signal.aborted && !failure && next < items.length) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failure) throw failure.error;
}
