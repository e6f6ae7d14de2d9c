import type { ShardInfo } from './describe-stream.ts';

/** What the poller knows of a started shard reader. */
export interface ShardProgress {
  /** True once the shard is closed and every record in it has been delivered. */
  readonly finished: boolean;
  /** The highest idle epoch in which the reader found nothing new to read. */
  readonly caughtUpThrough: number;
}

/**
 * The listed shards that may start now: not started yet, and in order of lineage — a child is read only after
 * its parent is finished, so a case's records arrive in the order they were written even across a split. A
 * parent that is no longer listed has been trimmed away: nothing of it is left to read first.
 */
export function shardsReadyToStart(
  shards: ReadonlyMap<string, ShardInfo>,
  readers: ReadonlyMap<string, ShardProgress>,
): ShardInfo[] {
  return [...shards.values()].filter((shard) => {
    if (readers.has(shard.shardId)) return false;
    const parent = shard.parentShardId;
    return parent === undefined || !shards.has(parent) || readers.get(parent)?.finished === true;
  });
}

/**
 * Whether everything written before idle epoch `required` began has been delivered: a shard listing that
 * started in that epoch or later has been taken in, and every listed shard is finished or has been read to its
 * end by a read that started in that epoch or later. A listed shard not started yet (its parent still being
 * read) is not idle.
 */
export function isIdleThrough(
  required: number,
  discoveredThrough: number,
  shards: ReadonlyMap<string, ShardInfo>,
  readers: ReadonlyMap<string, ShardProgress>,
): boolean {
  if (discoveredThrough < required) return false;
  return [...shards.keys()].every((shardId) => {
    const reader = readers.get(shardId);
    return reader !== undefined && (reader.finished || reader.caughtUpThrough >= required);
  });
}
