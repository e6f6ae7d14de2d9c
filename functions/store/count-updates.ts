import { dayOf, isEndOfDay } from '../../domain/calendar.ts';
import type { CaseTimeline } from '../../domain/case-timeline.ts';
import { type CountChange, countDelta } from '../../domain/count-changes.ts';
import { shardOf } from '../tables/shards.ts';
import { BEFORE_EVERY_DAY, type CountScope, countKeys } from '../tables/view-keys.ts';

/** One count item to add to: its key, its index keys, and what each of its counters changes by. */
export interface CountUpdate {
  readonly key: { readonly caseId: string };
  readonly partition: string;
  readonly bucket: string;
  readonly adds: ReadonlyMap<string, number>;
}

function scopesOf(timeline: CaseTimeline): CountScope[] {
  return timeline.groupId === null
    ? [{ kind: 'all' }]
    : [{ kind: 'all' }, { kind: 'group', groupId: timeline.groupId }];
}

/**
 * The count items a case's change of counted timeline adds to, in every scope it counts in: each change goes to
 * its day's bucket and, when it happens at a moment inside a day (not at the beginning of time nor at the end of
 * its day), to that moment's bucket too.
 * A case keeps its group for life, but a timeline is read as it says: were the group to differ, the old
 * timeline's counts leave the old group's scope and the new one's enter the new.
 */
export function countUpdates(
  caseId: string,
  before: CaseTimeline | undefined,
  after: CaseTimeline,
): CountUpdate[] {
  const shard = shardOf(caseId);
  // By the scope's partition of this case's shard: the key its count items are written under.
  const perScope = new Map<string, CountChange[]>();
  const scopeEntry = (scope: CountScope) => {
    const name = countKeys.partition(scope, shard);
    let entry = perScope.get(name);
    if (entry === undefined) {
      entry = [];
      perScope.set(name, entry);
    }
    return entry;
  };
  if (before === undefined || before.groupId === after.groupId) {
    const delta = countDelta(before, after);
    for (const scope of scopesOf(after)) scopeEntry(scope).push(...delta);
  } else {
    for (const scope of scopesOf(before)) scopeEntry(scope).push(...countDelta(before, undefined));
    for (const scope of scopesOf(after)) scopeEntry(scope).push(...countDelta(undefined, after));
  }
  const updates = new Map<string, { partition: string; bucket: string; adds: Map<string, number> }>();
  const add = (partition: string, bucket: string, key: string, by: number) => {
    const id = `${partition}\n${bucket}`;
    let update = updates.get(id);
    if (update === undefined) {
      update = { partition, bucket, adds: new Map() };
      updates.set(id, update);
    }
    update.adds.set(key, (update.adds.get(key) ?? 0) + by);
  };
  for (const [partition, changes] of perScope) {
    for (const { at, key, by } of changes) {
      if (!Number.isFinite(at)) {
        add(partition, countKeys.dayBucket(BEFORE_EVERY_DAY), key, by);
        continue;
      }
      const day = dayOf(at);
      add(partition, countKeys.dayBucket(day), key, by);
      // A change at the last moment of its day (an uncertain date's latest bound) counts in a summary of that
      // day only as of its end, which reads the whole day: it needs no moment of its own.
      if (!isEndOfDay(at)) add(partition, countKeys.momentBucket(day, new Date(at).toISOString()), key, by);
    }
  }
  return [...updates.values()].flatMap(({ partition, bucket, adds }) => {
    for (const [key, by] of adds) if (by === 0) adds.delete(key);
    return adds.size === 0 ? [] : [{ key: countKeys.item(partition, bucket), partition, bucket, adds }];
  });
}
