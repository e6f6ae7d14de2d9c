import { createHash } from 'node:crypto';

/**
 * How many shards a low-cardinality index key is split into. The one place this number lives:
 * writers pick a shard from the case id, readers fan out over all of them.
 */
export const SHARD_COUNT = 8;

/** The shard of a case: stable for the case's life, spread evenly over `SHARD_COUNT`. */
export function shardOf(key: string, shards: number = SHARD_COUNT): number {
  const digest = createHash('sha256').update(key).digest();
  return digest.readUInt32BE(0) % shards;
}

/** Every shard number, for readers that fan out. */
export function allShards(shards: number = SHARD_COUNT): number[] {
  return Array.from({ length: shards }, (_, i) => i);
}
