/**
 * A response body made of text chunks from an async source, pulled one at a time so a large export never sits
 * in memory and a slow reader slows the reads. A failure part-way errors the stream: the connection is cut and
 * the reader sees a broken transfer, never a file that merely looks complete.
 */
export function streamedBody(
  chunks: AsyncIterator<string>,
  onError: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        onError(error);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

/**
 * Reads the first item of an async source before anything is sent, so that a failure there (an unknown case,
 * an unreachable table) still gets its problem response and status; the rest follows as a stream.
 */
export async function primed<T>(
  source: AsyncIterable<T>,
): Promise<{ first: IteratorResult<T>; rest: AsyncIterator<T> }> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  return { first, rest: iterator };
}
