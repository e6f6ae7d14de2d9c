import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertMention, EventMention } from '../../../domain/notifications/notice.ts';
import { queryItems } from '../../store/query-items.ts';
import { notificationKeys, SK_PREFIX } from './notification-keys.ts';
import type { TableAccess } from './subscription-records.ts';

/**
 * What the notifier remembers per subscription: the alerts it has seen open (so that it tells a change once),
 * what waits for the next digest, and the watch state (first run, last digest). Changes to these are written
 * only as parts of transactions with the notices they cause (see `notice-writes.ts`).
 */

export interface WatchState {
  /** When the notifier first looked for this subscription; until then nothing is told as newly raised. */
  readonly baselineAt?: string;
  /** The local day of the last digest, in the subscription's time zone. */
  readonly lastDigestDay?: string;
  readonly lastDigestAt?: string;
  /** Every change of the item is conditional on it. 0: no item yet. */
  readonly revision: number;
}

/** An entry waiting for a daily subscription's next digest. */
export type PendingEntry =
  | { readonly kind: 'raised'; readonly mention: AlertMention }
  | { readonly kind: 'resolved'; readonly mention: AlertMention }
  | { readonly kind: 'event'; readonly event: EventMention };

export interface StoredPendingEntry {
  readonly sk: string;
  readonly entry: PendingEntry;
}

export async function getWatch(db: TableAccess, subscriptionId: string): Promise<WatchState> {
  const { Item } = await db.documents.send(
    new GetCommand({
      TableName: db.tableName,
      Key: notificationKeys.watch(subscriptionId),
      ConsistentRead: true,
    }),
  );
  if (!Item) return { revision: 0 };
  return {
    ...(typeof Item.baselineAt === 'string' && { baselineAt: Item.baselineAt }),
    ...(typeof Item.lastDigestDay === 'string' && { lastDigestDay: Item.lastDigestDay }),
    ...(typeof Item.lastDigestAt === 'string' && { lastDigestAt: Item.lastDigestAt }),
    revision: Number(Item.revision ?? 0),
  };
}

/** The alerts the notifier has seen open for a subscription (and not yet seen resolved). */
export async function listOpenAlerts(db: TableAccess, subscriptionId: string): Promise<AlertMention[]> {
  const found: AlertMention[] = [];
  for await (const item of queryItems(db.documents, {
    TableName: db.tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: {
      ':pk': notificationKeys.subscription(subscriptionId).pk,
      ':p': SK_PREFIX.openAlert,
    },
    ConsistentRead: true,
  }))
    found.push(item.data as AlertMention);
  return found;
}

/** Entries waiting for the digest, oldest first, at most `limit`. */
export async function listPendingEntries(
  db: TableAccess,
  subscriptionId: string,
  limit: number,
): Promise<StoredPendingEntry[]> {
  const found: StoredPendingEntry[] = [];
  for await (const item of queryItems(db.documents, {
    TableName: db.tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: {
      ':pk': notificationKeys.subscription(subscriptionId).pk,
      ':p': SK_PREFIX.pending,
    },
    ConsistentRead: true,
    Limit: limit,
  })) {
    found.push({ sk: String(item.sk), entry: item.data as PendingEntry });
    if (found.length === limit) break;
  }
  return found;
}
