/**
 * The keys of the log table's items (docs/log.md): one state item, one item per integrated event, the leaves
 * in partitions of one tile's width, and one item per published checkpoint. Sort keys of sizes and indexes are
 * zero-padded so that DynamoDB's string order is their numeric order.
 */

/** Wide enough for any size below 2^53. */
const PAD = 16;

/** A size or an index as a sort key. */
export function paddedNumber(value: number): string {
  return String(value).padStart(PAD, '0');
}

/** Leaves kept per partition: one level-0 tile's worth, so a tile is rebuilt from one query. */
export const LEAVES_PER_PARTITION = 256;

export const logKeys = {
  state: { pk: 'state', sk: 'state' },
  event: (eventId: string) => ({ pk: `event#${eventId}`, sk: 'event' }),
  leafPartition: (index: number) => `leaves#${Math.floor(index / LEAVES_PER_PARTITION)}`,
  leaf: (index: number) => ({ pk: logKeys.leafPartition(index), sk: paddedNumber(index) }),
  checkpointPartition: 'checkpoints',
  checkpoint: (size: number) => ({ pk: 'checkpoints', sk: paddedNumber(size) }),
} as const;
