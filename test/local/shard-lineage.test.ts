import { describe, expect, it } from 'vitest';
import type { ShardInfo } from '../../local/describe-stream.ts';
import { isIdleThrough, type ShardProgress, shardsReadyToStart } from '../../local/shard-lineage.ts';

const listed = (...shards: ShardInfo[]) => new Map(shards.map((shard) => [shard.shardId, shard]));
const progress = (entries: Record<string, Partial<ShardProgress>>) =>
  new Map(
    Object.entries(entries).map(([shardId, p]) => [
      shardId,
      { finished: false, caughtUpThrough: -1, ...p } satisfies ShardProgress,
    ]),
  );

const parent = { shardId: 'shard-1' };
const child = { shardId: 'shard-2', parentShardId: 'shard-1' };
const orphan = { shardId: 'shard-3', parentShardId: 'shard-0' };

describe('which shards may start', () => {
  it('starts a shard without a parent, or whose parent has been trimmed from the listing', () => {
    const ready = shardsReadyToStart(listed(parent, child, orphan), progress({}));
    expect(ready.map((shard) => shard.shardId)).toEqual(['shard-1', 'shard-3']);
  });

  it('holds a child back until its parent is finished, and starts no shard twice', () => {
    const shards = listed(parent, child);
    expect(shardsReadyToStart(shards, progress({ 'shard-1': {} }))).toEqual([]);
    expect(shardsReadyToStart(shards, progress({ 'shard-1': { finished: true } }))).toEqual([child]);
    expect(shardsReadyToStart(shards, progress({ 'shard-1': { finished: true }, 'shard-2': {} }))).toEqual(
      [],
    );
  });
});

describe('when the poller is idle through an epoch', () => {
  const shards = listed(parent, child);

  it('needs a shard listing that started in that epoch or later', () => {
    const done = progress({ 'shard-1': { finished: true }, 'shard-2': { caughtUpThrough: 3 } });
    expect(isIdleThrough(3, 2, shards, done)).toBe(false);
    expect(isIdleThrough(3, 3, shards, done)).toBe(true);
  });

  it('needs every listed shard finished or read to its end by a read that started in that epoch or later', () => {
    expect(
      isIdleThrough(
        3,
        3,
        shards,
        progress({ 'shard-1': { finished: true }, 'shard-2': { caughtUpThrough: 2 } }),
      ),
    ).toBe(false);
    expect(
      isIdleThrough(
        3,
        3,
        shards,
        progress({ 'shard-1': { caughtUpThrough: 4 }, 'shard-2': { caughtUpThrough: 5 } }),
      ),
    ).toBe(true);
  });

  it('is not idle while a listed shard has not started', () => {
    expect(isIdleThrough(1, 1, shards, progress({ 'shard-1': { caughtUpThrough: 1 } }))).toBe(false);
  });
});
