import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type CaseTimeline, caseTimelineSchema } from '../../domain/case-timeline.ts';
import { countKeys, countsIndex } from '../tables/view-keys.ts';
import { type CountUpdate, countUpdates } from './count-updates.ts';

/** A transaction takes 100 actions; one is the view's own. */
export const MAX_COUNT_UPDATES_PER_WRITE = 99;

/** How often a write is tried again when another writer got to the view first. */
const ATTEMPTS = 12;

/** A view item as written: what the version rule compares, and the timeline the counts follow. */
export interface ViewItem extends Record<string, unknown> {
  readonly caseId: string;
  readonly version: number;
  readonly projectionRevision: number;
  readonly projectedAt: string;
  readonly timeline: CaseTimeline;
}

/** What is stored of a view that decides a write: its version rule, what it counted, and any counting under way. */
interface Prior {
  readonly version: number;
  readonly projectionRevision: number;
  readonly projectedAt: string | undefined;
  /** The timeline the kept counts hold for this case; `undefined` for a view written before counts were kept. */
  readonly counted: CaseTimeline | undefined;
  /** A write too large for one transaction, part-way through its count updates. */
  readonly counting: { readonly item: ViewItem; readonly chunk: number } | undefined;
}

export interface CountedViewWriteOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Count updates per transaction: at most `MAX_COUNT_UPDATES_PER_WRITE`; lower in tests of the staged path. */
  readonly maxUpdatesPerWrite?: number;
}

/** Newer wins: a higher version; the same version from a newer revision; or the same fold taken later. */
function isNewer(item: ViewItem, prior: Prior): boolean {
  if (item.version !== prior.version) return item.version > prior.version;
  if (item.projectionRevision !== prior.projectionRevision) {
    return item.projectionRevision > prior.projectionRevision;
  }
  return prior.projectedAt === undefined || prior.projectedAt < item.projectedAt;
}

/**
 * Writes a view and moves the counts kept by day by what its timeline changes, as one: the view's put is
 * conditional on the stored view being exactly the one whose counted timeline the change was taken from, in the
 * same transaction as the count updates. So a replayed, late or duplicated record, a rebuild racing the live
 * projector, or a crash at any point never counts a case twice nor leaves it out: either the view and its counts
 * moved together, or neither did and the write starts again from what is stored.
 *
 * A change that touches more count items than one transaction takes (a long case rewritten from its start) is
 * staged: the new view goes onto the stored one as `countingTo`, then the counts move a transaction at a time,
 * each advancing `countingChunk` under a condition on the one before, and the last puts the view. Whoever next
 * writes the case finishes a staged write first, so one cut short is completed, never repeated.
 *
 * @returns `false` when the stored view is as new or newer: nothing written.
 */
export async function writeCountedView(options: CountedViewWriteOptions, item: ViewItem): Promise<boolean> {
  const max = Math.min(
    options.maxUpdatesPerWrite ?? MAX_COUNT_UPDATES_PER_WRITE,
    MAX_COUNT_UPDATES_PER_WRITE,
  );
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const prior = await readPrior(options, item.caseId);
    try {
      if (prior?.counting) {
        await finishCounting(options, item.caseId, prior, max);
        continue;
      }
      if (prior !== undefined && !isNewer(item, prior)) return false;
      const updates = countUpdates(item.caseId, prior?.counted, item.timeline);
      if (updates.length === 0) {
        // Nothing the counts hold changes (a visit, a hearing, a later fold): a conditional put, not a transaction,
        // which would cost twice the writes.
        await options.documents.send(new PutCommand(putView(options, item, exactly(prior)).Put!));
        return true;
      }
      if (updates.length <= max) {
        await transact(options, [putView(options, item, exactly(prior)), ...updates.map(addTo(options))]);
        return true;
      }
      await transact(options, [stage(options, item, prior)]);
      await finishCounting(options, item.caseId, { ...priorOf(prior), counting: { item, chunk: 0 } }, max);
      return true;
    } catch (error) {
      if (
        !(error instanceof TransactionCanceledException || error instanceof ConditionalCheckFailedException)
      ) {
        throw error;
      }
      // Another writer moved the view (or the counts) first: read again and start from what is stored now.
      await sleep(Math.floor(Math.random() * 10 * (attempt + 1)));
    }
  }
  throw new Error(`the view of ${item.caseId} kept changing under ${ATTEMPTS} attempts to write it`);
}

function priorOf(prior: Prior | undefined): Prior {
  return (
    prior ?? {
      version: 0,
      projectionRevision: 0,
      projectedAt: undefined,
      counted: undefined,
      counting: undefined,
    }
  );
}

async function readPrior(options: CountedViewWriteOptions, caseId: string): Promise<Prior | undefined> {
  const { Item } = await options.documents.send(
    new GetCommand({
      TableName: options.tableName,
      Key: { caseId },
      ConsistentRead: true,
      ProjectionExpression:
        'version, projectionRevision, projectedAt, counted, timeline, countingTo, countingChunk',
    }),
  );
  if (Item === undefined) return undefined;
  const countingTo = Item.countingTo as ViewItem | undefined;
  return {
    version: Number(Item.version),
    projectionRevision: Number(Item.projectionRevision),
    projectedAt: typeof Item.projectedAt === 'string' ? Item.projectedAt : undefined,
    counted: Item.counted === true ? caseTimelineSchema.parse(Item.timeline) : undefined,
    counting:
      countingTo === undefined
        ? undefined
        : {
            item: { ...countingTo, caseId, timeline: caseTimelineSchema.parse(countingTo.timeline) },
            chunk: Number(Item.countingChunk),
          },
  };
}

interface Condition {
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: Record<string, unknown>;
}

/** The stored view is still `prior`: no other write came between the read and this one. */
function exactly(prior: Prior | undefined): Condition {
  if (prior === undefined) return { ConditionExpression: 'attribute_not_exists(caseId)' };
  return {
    ConditionExpression: [
      'version = :pv',
      'projectionRevision = :pr',
      prior.projectedAt === undefined ? 'attribute_not_exists(projectedAt)' : 'projectedAt = :pp',
      prior.counted === undefined ? 'attribute_not_exists(counted)' : 'counted = :counted',
      'attribute_not_exists(countingTo)',
    ].join(' AND '),
    ExpressionAttributeValues: {
      ':pv': prior.version,
      ':pr': prior.projectionRevision,
      ...(prior.projectedAt !== undefined && { ':pp': prior.projectedAt }),
      ...(prior.counted !== undefined && { ':counted': true }),
    },
  };
}

type TransactItem = NonNullable<
  ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']
>[number];

function putView(options: CountedViewWriteOptions, item: ViewItem, condition: Condition): TransactItem {
  return { Put: { TableName: options.tableName, Item: { ...item, counted: true }, ...condition } };
}

function stage(options: CountedViewWriteOptions, item: ViewItem, prior: Prior | undefined): TransactItem {
  const { caseId, ...rest } = item;
  if (prior === undefined) {
    // Nothing stored yet: the staged write needs an item to hang on, one no list or alert index can meet.
    return {
      Put: {
        TableName: options.tableName,
        Item: { caseId, version: 0, projectionRevision: 0, countingTo: rest, countingChunk: 0 },
        ConditionExpression: 'attribute_not_exists(caseId)',
      },
    };
  }
  const condition = exactly(prior);
  return {
    Update: {
      TableName: options.tableName,
      Key: { caseId },
      UpdateExpression: 'SET countingTo = :to, countingChunk = :zero',
      ...condition,
      ExpressionAttributeValues: { ...condition.ExpressionAttributeValues, ':to': rest, ':zero': 0 },
    },
  };
}

/** Moves the rest of a staged write's counts, a transaction at a time, and puts its view with the last. */
async function finishCounting(
  options: CountedViewWriteOptions,
  caseId: string,
  prior: Prior,
  max: number,
): Promise<void> {
  const { item, chunk } = prior.counting!;
  const updates = countUpdates(caseId, prior.counted, item.timeline);
  const chunks = Math.max(1, Math.ceil(updates.length / max));
  for (let index = chunk; index < chunks; index += 1) {
    const part = updates.slice(index * max, (index + 1) * max).map(addTo(options));
    const atChunk: Condition = {
      ConditionExpression: 'countingChunk = :chunk',
      ExpressionAttributeValues: { ':chunk': index },
    };
    const view: TransactItem =
      index === chunks - 1
        ? putView(options, item, atChunk)
        : {
            Update: {
              TableName: options.tableName,
              Key: { caseId },
              UpdateExpression: 'SET countingChunk = :next',
              ...atChunk,
              ExpressionAttributeValues: { ...atChunk.ExpressionAttributeValues, ':next': index + 1 },
            },
          };
    await transact(options, [view, ...part]);
  }
}

/** One count item's counters moved, and its index keys set, so that the first change of a bucket makes it. */
function addTo(options: CountedViewWriteOptions) {
  return (update: CountUpdate): TransactItem => {
    const names: Record<string, string> = {
      '#p': countsIndex.partitionKeyName,
      '#b': countsIndex.sortKeyName,
    };
    const values: Record<string, unknown> = { ':p': update.partition, ':b': update.bucket };
    const adds = [...update.adds].map(([key, by], index) => {
      names[`#c${index}`] = `${countKeys.counterPrefix}${key}`;
      values[`:c${index}`] = by;
      return `#c${index} :c${index}`;
    });
    return {
      Update: {
        TableName: options.tableName,
        Key: update.key,
        UpdateExpression: `SET #p = :p, #b = :b ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  };
}

async function transact(options: CountedViewWriteOptions, items: TransactItem[]): Promise<void> {
  await options.documents.send(new TransactWriteCommand({ TransactItems: items }));
}
