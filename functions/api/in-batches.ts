/**
 * Maps items through an async function a few at a time, in order: enough to overlap DynamoDB round trips,
 * few enough not to throttle a small table or DynamoDB Local.
 */
export async function mapInBatches<T, R>(
  items: readonly T[],
  size: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(map))));
  }
  return results;
}
