import { InterruptedError } from './cli-errors.ts';

/**
 * Runs `work` on each item, at most `concurrency` at a time, pulling items only as workers free up, so a
 * ledger of any size never sits in memory. After the first failure, or once `signal` aborts, no new item is
 * started; what is running finishes, and then the failure (or an `InterruptedError`) is thrown.
 */
export async function forEachConcurrently<T>(
  items: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const iterator: AsyncIterator<T> | Iterator<T> =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && !signal?.aborted) {
      try {
        // Concurrent `next()` calls on an async generator queue up: each item goes to exactly one worker.
        const next = await iterator.next();
        if (next.done) return;
        await work(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failure !== undefined || signal?.aborted) await iterator.return?.();
  if (failure !== undefined) throw failure.error;
  if (signal?.aborted) throw new InterruptedError();
}
