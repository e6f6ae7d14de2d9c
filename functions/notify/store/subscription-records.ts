import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Subscription } from '../../../domain/notifications/subscription.ts';
import { queryItems } from '../../store/query-items.ts';
import { NotificationConflictError, NotificationNotFoundError } from './not-found.ts';
import { KIND, notificationKeys, ownerPartition } from './notification-keys.ts';

export interface TableAccess {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** The subscription as stored: the whole record under `data`, the index keys beside it. */
function subscriptionItem(subscription: Subscription): Record<string, unknown> {
  const order = `${subscription.createdAt}#${subscription.id}`;
  return {
    ...notificationKeys.subscription(subscription.id),
    ownerPk: ownerPartition(subscription.owner),
    ownerSk: order,
    kindPk: KIND.subscription,
    kindSk: order,
    data: subscription,
  };
}

const fromItem = (item: Record<string, unknown>) => item.data as Subscription;

export async function createSubscription(db: TableAccess, subscription: Subscription): Promise<void> {
  try {
    await db.documents.send(
      new PutCommand({
        TableName: db.tableName,
        Item: subscriptionItem(subscription),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException)
      throw new NotificationConflictError(`Subscription ${subscription.id} exists already`, { cause: error });
    throw error;
  }
}

export async function getSubscription(db: TableAccess, id: string): Promise<Subscription | undefined> {
  const { Item } = await db.documents.send(
    new GetCommand({ TableName: db.tableName, Key: notificationKeys.subscription(id), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : undefined;
}

/** An owner's subscriptions newest first (byOwner), or every subscription oldest first (byKind). */
export async function listSubscriptions(
  db: TableAccess,
  options: { owner?: string } = {},
): Promise<Subscription[]> {
  const input =
    options.owner === undefined
      ? {
          IndexName: 'byKind',
          KeyConditionExpression: 'kindPk = :k',
          ExpressionAttributeValues: { ':k': KIND.subscription },
        }
      : {
          IndexName: 'byOwner',
          KeyConditionExpression: 'ownerPk = :o',
          ExpressionAttributeValues: { ':o': ownerPartition(options.owner) },
          ScanIndexForward: false,
        };
  const found: Subscription[] = [];
  for await (const item of queryItems(db.documents, { TableName: db.tableName, ...input }))
    found.push(fromItem(item));
  return found;
}

/**
 * pending → active. Confirming an active subscription again changes nothing (a link clicked twice); an
 * unsubscribed one is not revived by an old link: a conflict.
 */
export async function confirmSubscription(db: TableAccess, id: string, at: Date): Promise<Subscription> {
  const current = await getSubscription(db, id);
  if (!current) throw new NotificationNotFoundError('subscription', id);
  if (current.state === 'active') return current;
  if (current.state === 'unsubscribed')
    throw new NotificationConflictError(`Subscription ${id} was unsubscribed; subscribe again instead`);
  return changeState(db, id, 'pending', { state: 'active', confirmedAt: at.toISOString() });
}

/** Any state → unsubscribed; idempotent: a second call answers the subscription as the first left it. */
export async function unsubscribe(db: TableAccess, id: string, at: Date): Promise<Subscription> {
  const current = await getSubscription(db, id);
  if (!current) throw new NotificationNotFoundError('subscription', id);
  if (current.state === 'unsubscribed') return current;
  try {
    return await changeState(db, id, current.state, {
      state: 'unsubscribed',
      unsubscribedAt: at.toISOString(),
    });
  } catch (error) {
    // Lost a race to another change: whatever it was, unsubscribing still wins.
    if (error instanceof NotificationConflictError) return unsubscribe(db, id, at);
    throw error;
  }
}

/** Deletes the subscription item (its other items expire with it or are never read again). */
export async function deleteSubscription(db: TableAccess, id: string): Promise<boolean> {
  const { Attributes } = await db.documents.send(
    new DeleteCommand({
      TableName: db.tableName,
      Key: notificationKeys.subscription(id),
      ReturnValues: 'ALL_OLD',
    }),
  );
  return Attributes !== undefined;
}

async function changeState(
  db: TableAccess,
  id: string,
  from: Subscription['state'],
  change: Pick<Subscription, 'state'> & Partial<Pick<Subscription, 'confirmedAt' | 'unsubscribedAt'>>,
): Promise<Subscription> {
  const names: Record<string, string> = { '#d': 'data', '#state': 'state' };
  const values: Record<string, unknown> = { ':from': from, ':state': change.state };
  const sets = ['#d.#state = :state'];
  for (const field of ['confirmedAt', 'unsubscribedAt'] as const) {
    const value = change[field];
    if (value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    sets.push(`#d.#${field} = :${field}`);
  }
  try {
    const { Attributes } = await db.documents.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: notificationKeys.subscription(id),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#d.#state = :from',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return fromItem(Attributes as Record<string, unknown>);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException)
      throw new NotificationConflictError(`Subscription ${id} changed meanwhile`, { cause: error });
    throw error;
  }
}
