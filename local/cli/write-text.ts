/**
 * Writes text and resolves once the stream has taken it, so a producer never runs ahead of a slow consumer
 * (a pipe into `gzip`, a full disk) and a closed pipe surfaces as an error instead of lost output.
 */
export function writeText(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
