import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dayOf, isEndOfDay } from '../../domain/calendar.ts';
import type { Counters, DayCounters } from '../../domain/kept-counts.ts';
import { allShards } from '../tables/shards.ts';
import { type CountScope, countKeys, countsIndex } from '../tables/view-keys.ts';
import { queryItems } from './query-items.ts';

function addCounters(into: Map<string, number>, item: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(countKeys.counterPrefix) || typeof value !== 'number') continue;
    const key = name.slice(countKeys.counterPrefix.length);
    into.set(key, (into.get(key) ?? 0) + value);
  }
}

/** The count items of one scope whose bucket is in a key range, every shard in parallel. */
async function bucketsOf(
  documents: DynamoDBDocumentClient,
  tableName: string,
  scope: CountScope,
  range: { readonly condition: string; readonly values: Record<string, string> },
): Promise<Record<string, unknown>[]> {
  const perShard = await Promise.all(
    allShards().map(async (shard) => {
      const items: Record<string, unknown>[] = [];
      for await (const item of queryItems(documents, {
        TableName: tableName,
        IndexName: countsIndex.indexName,
        KeyConditionExpression: `#p = :p AND ${range.condition}`,
        ExpressionAttributeNames: { '#p': countsIndex.partitionKeyName, '#b': countsIndex.sortKeyName },
        ExpressionAttributeValues: { ':p': countKeys.partition(scope, shard), ...range.values },
      })) {
        items.push(item);
      }
      return items;
    }),
  );
  return perShard.flat();
}

function dayBuckets(
  documents: DynamoDBDocumentClient,
  tableName: string,
  scope: CountScope,
  condition: string,
  day: string,
): Promise<Record<string, unknown>[]> {
  return bucketsOf(documents, tableName, scope, { condition, values: { ':day': countKeys.dayBucket(day) } });
}

/**
 * The counts of a scope as of `at` (epoch ms): the changes of every day before `at`'s day, and of the moments of
 * that day up to `at`. What it reads grows with the days that saw a change and with the changes of one day,
 * never with the cases.
 */
export async function countersAsOf(
  documents: DynamoDBDocumentClient,
  tableName: string,
  scope: CountScope,
  at: number,
): Promise<Counters> {
  const day = dayOf(at);
  // As of a day's end, the whole day counts: its day bucket, and no moment need be read.
  const [days, moments] = isEndOfDay(at)
    ? [await dayBuckets(documents, tableName, scope, '#b <= :day', day), []]
    : await Promise.all([
        dayBuckets(documents, tableName, scope, '#b < :day', day),
        bucketsOf(documents, tableName, scope, {
          condition: '#b BETWEEN :first AND :last',
          values: {
            ':first': countKeys.momentsOf(day),
            ':last': countKeys.momentBucket(day, new Date(at).toISOString()),
          },
        }),
      ]);
  const counters = new Map<string, number>();
  for (const item of [...days, ...moments]) addCounters(counters, item);
  return counters;
}

/** Every day's changes of a scope's counts up to `to` (a day, inclusive), in day order. */
export async function dayCountersUpTo(
  documents: DynamoDBDocumentClient,
  tableName: string,
  scope: CountScope,
  to: string,
): Promise<DayCounters[]> {
  const items = await bucketsOf(documents, tableName, scope, {
    condition: '#b <= :to',
    values: { ':to': countKeys.dayBucket(to) },
  });
  const byDay = new Map<string, Map<string, number>>();
  for (const item of items) {
    const day = String(item[countsIndex.sortKeyName]).slice(countKeys.dayBucket('').length);
    let counters = byDay.get(day);
    if (counters === undefined) {
      counters = new Map();
      byDay.set(day, counters);
    }
    addCounters(counters, item);
  }
  return [...byDay.keys()].sort().map((day) => ({ day, counters: byDay.get(day)! }));
}
